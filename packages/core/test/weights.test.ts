import { describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.js';
import { checkGraph, decodeSafetensors, validateWeights } from '../src/index.js';
import { chain } from './passes/build.js';

/**
 * A safetensors file written by hand: an 8-byte little-endian header length, the JSON header
 * exactly as given (no padding, so the data may start at any offset), then the data.
 */
function handWritten(header: object, data: Float32Array, prefix = 0): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const file = new Uint8Array(prefix + 8 + json.length + data.byteLength);
  const body = file.subarray(prefix);
  new DataView(body.buffer, body.byteOffset).setUint32(0, json.length, true);
  body.set(json, 8);
  const view = new DataView(body.buffer, body.byteOffset + 8 + json.length);
  data.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return body;
}

describe('decodeSafetensors', () => {
  it('reads tensors whose data starts at an offset that is not a multiple of 4', () => {
    const values = Float32Array.from([1.5, -2, 3.25, 1e-7, 6]);
    const header = {
      'a.weight': { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
      'a.bias': { dtype: 'F32', shape: [1], data_offsets: [16, 20] },
    };
    // Two ways to be unaligned: the header's own length, and a view into a larger buffer (as a
    // Node Buffer from readFileSync can be).
    for (const prefix of [0, 1, 3]) {
      // Pad the metadata until the data starts one byte past a multiple of 4.
      let bytes = handWritten(header, values, prefix);
      for (let pad = 1; (bytes.byteOffset + bytes.length - 20) % 4 !== 1; pad++) {
        bytes = handWritten({ ...header, __metadata__: { p: 'x'.repeat(pad) } }, values, prefix);
      }
      // Both a plain Uint8Array and a Node Buffer (whose `slice` is a view, not a copy).
      for (const form of [bytes, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)]) {
        const w = decodeSafetensors(form);
        expect([...w.get('a.weight')!.data]).toEqual([1.5, -2, 3.25, values[3]]);
        expect([...w.get('a.bias')!.data]).toEqual([6]);
      }
    }
  });
});

describe('validateWeights', () => {
  const graph = chain('m', ['x', ['N', 3]], [['fc', 'dense', { units: 2 }]]);
  const { shapes } = checkGraph(graph);
  const weights = (weight: number[]) =>
    new Map<string, Tensor>([
      ['fc.weight', { dtype: 'f32', shape: [2, 3], data: Float32Array.from(weight) }],
      ['fc.bias', { dtype: 'f32', shape: [2], data: Float32Array.from([0, 0]) }],
    ]);

  it('accepts finite weights', () => {
    expect(validateWeights(graph, shapes, weights([1, 2, 3, 4, 5, 6]))).toEqual([]);
  });

  it('refuses NaN and Inf when asked, naming the tensor and the first bad index', () => {
    expect(validateWeights(graph, shapes, weights([1, 2, NaN, 4, NaN, 6]))).toEqual([]);
    const finite = { finite: true };
    const nan = validateWeights(graph, shapes, weights([1, 2, NaN, 4, NaN, 6]), finite);
    expect(nan.map((d) => [d.code, d.message])).toEqual([
      [
        'weights/non-finite',
        'weight `fc.weight` holds NaN at flat index 2; weights must be finite',
      ],
    ]);
    const inf = validateWeights(graph, shapes, weights([1, -Infinity, 3, 4, 5, 6]), finite);
    expect(inf[0]!.message).toContain('holds -Infinity at flat index 1');
  });
});
