import { describe, expect, it } from 'vitest';
import { encodeParams, program, stridesOf } from '../src/wgsl/program.js';

const device = { invocations: 64, workgroupBytes: 16384, maxSizeX: 256, maxSizeY: 256 };

describe('programs', () => {
  it('write index arithmetic from the tensors’ strides, passed as parameters', () => {
    const p = program('test-offsets', device, (s) => {
      const x = s.tensor('x', 3);
      const y = s.tensor('y', 1, 'read_write');
      s.main(`
  let i = ${s.flatId};
  if (i >= ${y.count}) { return; }
  ${x.unravel('i', ['a', 'b', 'c'])}
  ${y.set('i', x.at('a', 'b', 'c'))}`);
    });
    expect(p.key).toBe('test-offsets@wg64');
    expect(p.bindings).toEqual(['read', 'read_write']);
    expect(p.code).toContain('@workgroup_size(64, 1, 1)');
    expect(p.code).toContain('var<storage, read> x: array<f32>;');
    expect(p.code).toContain('@group(0) @binding(2) var<uniform> P: Params;');
    // x's strides 0 and 1 are read; its last stride is 1 and never is.
    expect(p.fields.map((f) => f.name)).toEqual(['y_n', 'x_s0', 'x_s1']);
    expect(p.code).toContain('x[(a) * P.v[0][1] + (b) * P.v[0][2] + (c)]');
  });

  it('are built once per key', () => {
    let builds = 0;
    const build = () => {
      builds++;
    };
    const a = program('test-once', device, build);
    const b = program('test-once', device, build);
    expect(a).toBe(b);
    expect(builds).toBe(1);
    program('test-once', { ...device, invocations: 32 }, build);
    expect(builds).toBe(2);
  });

  it('encode shapes, strides and scalars into uniform words', () => {
    const p = program('test-params', device, (s) => {
      const x = s.tensor('x', 2);
      s.main(
        `let v = ${x.dim(1)} + ${x.stride(0)} + u32(${s.param('alpha', 'f32')}) + u32(${s.param('k', 'i32')});`,
      );
    });
    const words = encodeParams(p, { x: [3, 5] }, { alpha: 0.5, k: -2 });
    expect(words.length).toBe(4);
    expect([words[0], words[1]]).toEqual([5, 5]);
    expect(new Float32Array(words.buffer)[2]).toBe(0.5);
    expect(new Int32Array(words.buffer)[3]).toBe(-2);
    expect(() => encodeParams(p, { x: [3, 5] }, { alpha: 0.5 })).toThrow(
      /no value for parameter k/,
    );
    expect(() => encodeParams(p, { x: [3] }, { alpha: 0.5, k: 1 })).toThrow(/rank 1, expected 2/);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
  });
});
