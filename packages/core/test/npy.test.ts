import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy } from '../src/tensor/npy.js';

/** The bytes np.save writes: magic, version 1.0, header padded to 64 bytes, raw data. */
function numpyStyle(descr: string, shape: string, data: number[], size: number): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const start = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(start - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(start + data.length * size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const view = new DataView(out.buffer);
  data.forEach((v, i) =>
    size === 4 ? view.setFloat32(start + 4 * i, v, true) : view.setFloat64(start + 8 * i, v, true),
  );
  return out;
}

describe('npy', () => {
  it('reads float32 and float64 arrays', () => {
    const t = decodeNpy(numpyStyle('<f4', '(1, 3)', [1, 2, 3], 4));
    expect(t.shape).toEqual([1, 3]);
    expect([...t.data]).toEqual([1, 2, 3]);
    const d = decodeNpy(numpyStyle('<f8', '(2,)', [0.5, -4], 8));
    expect(d.shape).toEqual([2]);
    expect([...d.data]).toEqual([0.5, -4]);
  });
  it('rounds float64 to the nearest float32 and refuses a value past its range', () => {
    const near = decodeNpy(numpyStyle('<f8', '(2,)', [1 + 2 ** -30, 3.4e38], 8));
    expect([...near.data]).toEqual([1, Math.fround(3.4e38)]);
    expect(() => decodeNpy(numpyStyle('<f8', '(3,)', [1, 2, -1e300], 8))).toThrow(
      'the float64 value -1e+300 (flat index 2) does not fit float32, whose largest magnitude ' +
        'is about 3.4e38',
    );
    // Infinity in the file is the file's own value: decoded, for the input check to refuse.
    expect([...decodeNpy(numpyStyle('<f8', '(1,)', [Infinity], 8)).data]).toEqual([Infinity]);
  });
  it('round-trips and aligns the data to 64 bytes', () => {
    const data = Float32Array.from([1.5, -2.25, 3e-8, 7]);
    const bytes = encodeNpy({ dtype: 'f32', shape: [2, 2], data });
    expect((bytes.length - 16) % 64).toBe(0);
    expect(decodeNpy(bytes)).toEqual({ dtype: 'f32', shape: [2, 2], data });
    expect(decodeNpy(encodeNpy({ dtype: 'f32', shape: [4], data })).shape).toEqual([4]);
  });
  it('gives clear errors for bad files', () => {
    expect(() => decodeNpy(new Uint8Array([1, 2, 3]))).toThrow('not a .npy file (bad magic)');
    const full = numpyStyle('<f4', '(1, 3)', [1, 2, 3], 4);
    expect(() => decodeNpy(full.subarray(0, full.length - 2))).toThrow(
      /truncated: shape \(1, 3\) needs 12 data bytes, found 10/,
    );
    expect(() => decodeNpy(full.subarray(0, 30))).toThrow(/truncated in its header/);
    expect(() => decodeNpy(numpyStyle('>f4', '(1,)', [1], 4))).toThrow(
      /unsupported .npy dtype >f4/,
    );
  });
});

describe('npy written by numpy', () => {
  it('reads a file np.save wrote', async () => {
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(new URL('./fixtures/numpy-f32-1x3.npy', import.meta.url));
    expect(decodeNpy(bytes)).toEqual({
      dtype: 'f32',
      shape: [1, 3],
      data: Float32Array.from([1, 2, 3]),
    });
  });
});
