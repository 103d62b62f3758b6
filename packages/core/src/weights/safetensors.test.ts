import { describe, expect, it } from 'vitest';
import type { Tensor } from '../backend/types.js';
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import { decodeSafetensors, encodeSafetensors, safetensorsMetadata } from './safetensors.js';

const t = (shape: number[], values: number[]): Tensor => ({
  dtype: 'f32',
  shape,
  data: new Float32Array(values),
});

/** A file assembled byte by byte: length, JSON header, then data. */
function fileOf(header: string, data: number[]): Uint8Array {
  const json = [...header].map((c) => c.charCodeAt(0));
  const n = json.length;
  return new Uint8Array([n & 0xff, (n >> 8) & 0xff, 0, 0, 0, 0, 0, 0, ...json, ...data]);
}

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DiagnosticError);
    return `${(e as DiagnosticError).diagnostics[0]!.code}: ${(e as Error).message}`;
  }
  throw new Error('expected a failure');
}

describe('safetensors', () => {
  it('decodes a hand-built file with an unaligned data section', () => {
    // 1.0f = 00 00 80 3f, -2.0f = 00 00 00 c0, 0.5f = 00 00 00 3f (little-endian).
    const header =
      '{"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},' +
      '"a":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},"__metadata__":{"k":"v"}}';
    expect((8 + header.length) % 4).not.toBe(0);
    const bytes = fileOf(header, [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0, 0x3f]);
    const w = decodeSafetensors(bytes);
    expect(w.get('a')).toEqual(t([2, 1], [1, -2]));
    expect(w.get('b')).toEqual(t([1], [0.5]));
    expect([...w.keys()].sort()).toEqual(['a', 'b']);
    expect(safetensorsMetadata(bytes)).toEqual({ k: 'v' });
  });

  it('encodes bit-exact bytes', () => {
    const bytes = encodeSafetensors(new Map([['w', t([1], [1])]]));
    const header = '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    // Padded with spaces to a multiple of 8: 53 characters become 56.
    const padded = header + ' '.repeat(56 - header.length);
    expect([...bytes]).toEqual([...fileOf(padded, [0, 0, 0x80, 0x3f])]);
  });

  it('round-trips, including odd values and a view at an odd byte offset', () => {
    const w = new Map([
      ['conv.weight', t([2, 1, 1, 2], [1.5, -0, Number.MIN_VALUE, 3.4e38])],
      ['conv.bias', t([2], [NaN, -Infinity])],
      ['empty', t([0], [])],
    ]);
    const bytes = encodeSafetensors(w, { format: 'pt' });
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    for (const input of [bytes, shifted.subarray(1)]) {
      const back = decodeSafetensors(input);
      expect(back).toEqual(w);
      expect(Object.is(back.get('conv.weight')!.data[1], -0)).toBe(true);
    }
    expect(encodeSafetensors(decodeSafetensors(bytes), { format: 'pt' })).toEqual(bytes);
  });

  it('reports a truncated file clearly', () => {
    const bytes = encodeSafetensors(new Map([['w', t([4], [1, 2, 3, 4])]]));
    expect(codeOf(() => decodeSafetensors(bytes.subarray(0, 5)))).toMatch(
      /weights\/corrupt: .*5 bytes; it must start with an 8-byte header length/,
    );
    expect(codeOf(() => decodeSafetensors(bytes.subarray(0, 20)))).toMatch(
      /header claims 56 bytes, but only 12 follow/,
    );
    expect(codeOf(() => decodeSafetensors(bytes.subarray(0, bytes.length - 1)))).toMatch(
      /`w` ends at byte 16 of the data, which has only 15 bytes/,
    );
  });

  it('reports a header that lies about sizes or types', () => {
    const lie = fileOf(
      '{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}',
      [0, 0, 0, 0, 0, 0, 0, 0],
    );
    expect(codeOf(() => decodeSafetensors(lie))).toMatch(/shape \[3\] needs 12 bytes.*span 8/);
    const f16 = fileOf('{"w":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}', [0, 0]);
    expect(codeOf(() => decodeSafetensors(f16))).toMatch(/dtype "F16"; Kiln reads F32 only/);
    const overlap = fileOf(
      '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},' +
        '"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}',
      [0, 0, 0, 0, 0, 0],
    );
    expect(codeOf(() => decodeSafetensors(overlap))).toMatch(/`a` and `b` overlap/);
    expect(codeOf(() => decodeSafetensors(fileOf('{"w": [1, 2', [])))).toMatch(
      /not valid UTF-8 JSON/,
    );
    expect(codeOf(() => decodeSafetensors(fileOf('[1]', [])))).toMatch(/not a JSON object/);
    const huge = new Uint8Array([0, 0, 0, 0, 1, 0, 0, 0]);
    expect(codeOf(() => decodeSafetensors(huge))).toMatch(/header claims 4294967296 bytes/);
  });

  it('refuses data bytes that belong to no tensor, saying where they are', () => {
    const entry = (name: string, begin: number) =>
      `"${name}":{"dtype":"F32","shape":[1],"data_offsets":[${begin},${begin + 4}]}`;
    const header = (...entries: string[]) => `{${entries.join(',')}}`;
    const bytes = (n: number) => Array.from({ length: n }, () => 0);
    // The data starts at file byte 8 + the header length: 62 for `before`, 116 and 115 for the
    // two-tensor headers.
    const gap = fileOf(header(entry('a', 0), entry('b', 8)), bytes(12));
    expect(codeOf(() => decodeSafetensors(gap))).toBe(
      'weights/corrupt: safetensors: 4 bytes between tensors `a` (ends at byte 4 of the data ' +
        '(120 of the file)) and `b` (starts at byte 8 of the data (124 of the file)) belong to ' +
        'no tensor',
    );
    const before = fileOf(header(entry('a', 4)), bytes(8));
    expect(codeOf(() => decodeSafetensors(before))).toMatch(
      /the first tensor, `a`, starts at byte 4 of the data \(66 of the file\); the 4 bytes before it belong to no tensor$/,
    );
    const trailing = fileOf(header(entry('a', 0), entry('b', 4)), bytes(11));
    expect(codeOf(() => decodeSafetensors(trailing))).toMatch(
      /: 3 bytes after the last tensor \(`b`, which ends at byte 8 of the data \(123 of the file\)\) belong to no tensor; the data is 11 bytes$/,
    );
    expect(codeOf(() => decodeSafetensors(fileOf('{}', bytes(2))))).toMatch(
      /2 bytes after the last tensor \(the header names none\) belong to no tensor/,
    );
    // An empty tensor past the end of the others leaves a hole just the same.
    const emptyPast = fileOf(
      header(entry('a', 0), '"e":{"dtype":"F32","shape":[0],"data_offsets":[8,8]}'),
      bytes(8),
    );
    expect(codeOf(() => decodeSafetensors(emptyPast))).toMatch(/4 bytes between tensors `a`/);
  });

  it('encodes files whose tensors cover the data exactly, padding only the header', () => {
    // Sizes that leave the header at every remainder mod 8, with empty tensors and metadata.
    for (let extra = 0; extra < 8; extra++) {
      const w = new Map([
        [`n${'x'.repeat(extra)}`, t([3], [1, 2, 3])],
        ['e', t([0], [])],
        ['z', t([1, 1], [4])],
      ]);
      const bytes = encodeSafetensors(w, { note: 'y'.repeat(extra) });
      const n = new DataView(bytes.buffer).getUint32(0, true);
      expect(n % 8).toBe(0);
      expect(bytes.length).toBe(8 + n + 4 * 4);
      expect(decodeSafetensors(bytes)).toEqual(w);
    }
  });

  it('refuses a header that names a tensor twice, which JSON.parse would let through', () => {
    const entry = (begin: number) =>
      `{"dtype":"F32","shape":[1],"data_offsets":[${begin},${begin + 4}]}`;
    const data = [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40];
    const twice = fileOf(`{"w":${entry(0)},"w":${entry(4)}}`, data);
    expect(codeOf(() => decodeSafetensors(twice))).toMatch(
      /weights\/corrupt: safetensors: the header names `w` twice/,
    );
    // The same name spelled with an escape is still the same name.
    const escaped = fileOf(`{"w":${entry(0)},"\\u0077":${entry(4)}}`, data);
    expect(codeOf(() => decodeSafetensors(escaped))).toMatch(/names `w` twice/);
    const inEntry = fileOf(
      '{"w":{"dtype":"F32","shape":[1],"dtype":"F32","data_offsets":[0,4]}}',
      [0, 0, 0x80, 0x3f],
    );
    expect(codeOf(() => decodeSafetensors(inEntry))).toMatch(
      /the header's `w` has the key `dtype` twice/,
    );
    const meta = fileOf(`{"__metadata__":{"k":"1","k":"2"},"w":${entry(0)}}`, data.slice(0, 4));
    expect(codeOf(() => decodeSafetensors(meta))).toMatch(/`__metadata__` has the key `k` twice/);
    // Distinct names that differ only past an escaped quote are read as two tensors.
    const distinct = fileOf(`{"a\\"":${entry(0)},"a":${entry(4)}}`, data);
    expect([...decodeSafetensors(distinct).keys()].sort()).toEqual(['a', 'a"']);
  });

  it('reads an empty tensor at the offset where another starts, in either order', () => {
    const data = [0, 0, 0x80, 0x3f];
    for (const header of [
      '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},' +
        '"e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}',
      '{"e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},' +
        '"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
    ]) {
      const w = decodeSafetensors(fileOf(header, data));
      expect(w.get('e')).toEqual(t([0], []));
      expect(w.get('w')).toEqual(t([1], [1]));
    }
  });

  it('refuses metadata that is not an object of strings, naming the key', () => {
    const w = '"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';
    const data = [0, 0, 0x80, 0x3f];
    const number = fileOf(`{"__metadata__":{"epoch":5},${w}}`, data);
    expect(codeOf(() => decodeSafetensors(number))).toMatch(
      /`__metadata__` holds 5 under `epoch`, not a string/,
    );
    const list = fileOf(`{"__metadata__":["a"],${w}}`, data);
    expect(codeOf(() => decodeSafetensors(list))).toMatch(/`__metadata__` is not an object/);
    expect(safetensorsMetadata(fileOf(`{"__metadata__":null,${w}}`, data))).toEqual({});
  });
});
