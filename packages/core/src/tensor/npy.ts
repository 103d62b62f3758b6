/**
 * NumPy's `.npy` format (versions 1–3): a magic string, a header length, a Python-literal header
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }`, then raw data.
 * Kiln reads little-endian float32, float64 and integer arrays in C order (rounding each value to
 * the nearest float32, refusing one past float32's range) and writes float32. Every malformed file gets a message saying what is wrong, never a
 * RangeError from a typed-array constructor.
 */
import type { Tensor } from '../backend/types.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

export class NpyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NpyError';
  }
}

const readers: Record<string, { size: number; read: (v: DataView, at: number) => number }> = {
  '<f4': { size: 4, read: (v, at) => v.getFloat32(at, true) },
  '<f8': { size: 8, read: (v, at) => v.getFloat64(at, true) },
  '<i4': { size: 4, read: (v, at) => v.getInt32(at, true) },
  '<i8': { size: 8, read: (v, at) => Number(v.getBigInt64(at, true)) },
  '|u1': { size: 1, read: (v, at) => v.getUint8(at) },
  '|i1': { size: 1, read: (v, at) => v.getInt8(at) },
};

function parseHeader(text: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shape === undefined) {
    throw new NpyError('the .npy header lacks descr, fortran_order or shape');
  }
  const dims = shape
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (!dims.every((d) => /^\d+$/.test(d)))
    throw new NpyError(`the .npy shape (${shape}) is not a tuple of integers`);
  return { descr, fortran: fortran === 'True', shape: dims.map(Number) };
}

export function decodeNpy(bytes: Uint8Array): Tensor {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b))
    throw new NpyError('not a .npy file (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new NpyError(`unsupported .npy version ${major}`);
  const headerLength =
    major === 1 ? view.getUint16(8, true) : bytes.length >= 12 ? view.getUint32(8, true) : -1;
  const start = major === 1 ? 10 : 12;
  if (headerLength < 0 || start + headerLength > bytes.length)
    throw new NpyError('the .npy file is truncated in its header');
  const header = parseHeader(
    new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLength)),
  );
  if (header.fortran)
    throw new NpyError('Fortran-ordered .npy arrays are not supported; save with C order');
  const reader = readers[header.descr];
  if (!reader)
    throw new NpyError(`unsupported .npy dtype ${header.descr}; use little-endian float32 ('<f4')`);
  const count = header.shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLength;
  const need = count * reader.size;
  if (bytes.length - offset < need) {
    throw new NpyError(
      `the .npy file is truncated: shape (${header.shape.join(', ')}) needs ${need} data bytes, found ${bytes.length - offset}`,
    );
  }
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const value = reader.read(view, offset + i * reader.size);
    data[i] = value;
    // Rounding to float32 is what converting means; turning a finite value into ±Infinity is
    // not (the input check would then report a value the file does not hold).
    if (!Number.isFinite(data[i]!) && Number.isFinite(value)) {
      throw new NpyError(
        `the ${header.descr === '<f8' ? 'float64' : 'integer'} value ${value} (flat index ${i}) ` +
          'does not fit float32, whose largest magnitude is about 3.4e38',
      );
    }
  }
  return { dtype: 'f32', shape: header.shape, data };
}

export function encodeNpy(tensor: Tensor): Uint8Array {
  const shape =
    tensor.shape.length === 1 ? `(${tensor.shape[0]},)` : `(${tensor.shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  // The data must start at a multiple of 64 bytes; the header ends with a newline.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + tensor.data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  for (let i = 0; i < tensor.data.length; i++)
    view.setFloat32(total + i * 4, tensor.data[i]!, true);
  return out;
}
