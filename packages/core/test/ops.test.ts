import { describe, expect, it } from 'vitest';
import { checkGraph, getOp, modelStats, resolveAttrs, ShapeError } from '../src/index.js';
import type { Shape } from '../src/index.js';
import { graph, node } from './build.js';

function infer(op: string, inputs: Shape[], raw: Record<string, unknown> = {}): Shape {
  const n = node(
    'x',
    op,
    inputs.map((_, i) => `in${i}`),
    raw,
  );
  return getOp(op)!.inferShape(inputs, n.attrs);
}

describe('conv shape inference', () => {
  // Output size: floor((in + pads - dilation*(k-1) - 1) / stride) + 1, computed by hand below.
  it.each([
    [{ channels: 8, kernel: 3 }, [1, 3, 10, 10], [1, 8, 8, 8]],
    [{ channels: 8, kernel: 3, pad: 1 }, ['N', 3, 10, 10], ['N', 8, 10, 10]],
    [{ channels: 4, kernel: 3, stride: 2, pad: 1 }, [2, 3, 7, 7], [2, 4, 4, 4]], // (7+2-3)/2+1 = 4
    [{ channels: 4, kernel: [3, 5], pad: [0, 1, 2, 3] }, [1, 3, 6, 6], [1, 4, 6, 6]], // h:(6+2-3)+1, w:(6+4-5)+1
    [{ channels: 4, kernel: 3, dilation: 2 }, [1, 3, 9, 9], [1, 4, 5, 5]], // span 5: 9-5+1
    [{ channels: 6, kernel: 1, groups: 3 }, [1, 3, 4, 4], [1, 6, 4, 4]],
    [{ channels: 2, kernel: 2, pad: 3 }, [1, 1, 1, 1], [1, 2, 6, 6]], // padding larger than kernel
    [{ channels: 2, kernel: 3, pad: 1 }, ['N', 1, 'H', 'W'], ['N', 2, 'H', 'W']],
  ])('conv %j on %j -> %j', (attrs, input, expected) => {
    expect(infer('conv', [input], attrs)).toEqual(expected);
  });

  it('conv params and MACs (hand-computed)', () => {
    const g = graph([
      node('x', 'input', [], { shape: ['N', 6, 8, 8] }),
      node('c', 'conv', ['x'], { channels: 4, kernel: 3, groups: 2, pad: 1 }),
    ]);
    const { shapes, diagnostics } = checkGraph(g);
    expect(diagnostics).toEqual([]);
    const stats = modelStats(g, shapes);
    // weight [4, 3, 3, 3] = 108, bias 4; MACs = 4*8*8 outputs * 3*3*3 taps = 6912.
    expect(stats.totalParams).toBe(112);
    expect(stats.totalMacs).toBe(6912);
  });

  it('rejects groups that do not divide the channels and kernels that do not fit', () => {
    expect(() => infer('conv', [[1, 3, 4, 4]], { channels: 4, kernel: 1, groups: 2 })).toThrow(
      ShapeError,
    );
    expect(() => infer('conv', [[1, 3, 2, 2]], { channels: 4, kernel: 3 })).toThrow(/does not fit/);
    expect(() => infer('conv', [['N', 512]], { channels: 4, kernel: 3 })).toThrow(
      /4-D input \[N, C, H, W\], got \[N, 512\]/,
    );
  });
});

describe('pool shape inference', () => {
  it.each([
    ['maxpool', { kernel: 2 }, [1, 3, 7, 7], [1, 3, 3, 3]],
    ['maxpool', { kernel: 2, ceil_mode: true }, [1, 3, 7, 7], [1, 3, 4, 4]],
    ['maxpool', { kernel: 3, stride: 2, ceil_mode: true }, [1, 1, 112, 112], [1, 1, 56, 56]], // ceil(109/2)+1 = 56
    ['maxpool', { kernel: 3, stride: 2, pad: 1 }, [1, 1, 112, 112], [1, 1, 56, 56]],
    // ceil((5+2-3)/2)+1 = 3; the third window starts at 4 < 5+1, so it stays.
    ['avgpool', { kernel: 3, stride: 2, pad: 1, ceil_mode: true }, [1, 1, 5, 5], [1, 1, 3, 3]],
    // ceil((6+2-2)/2)+1 = 4, but window 4 would start at 6 >= 6+1-... : (4-1)*2 = 6 >= 6+1? no -> stays 4.
    ['avgpool', { kernel: 2, stride: 2, pad: 1, ceil_mode: true }, [1, 1, 6, 6], [1, 1, 4, 4]],
    // ceil((4+2-2)/3)+1 = 3; window 3 starts at 6 >= 4+1 (in the right padding) -> dropped: 2.
    ['avgpool', { kernel: 2, stride: 3, pad: 1, ceil_mode: true }, [1, 1, 4, 4], [1, 1, 2, 2]],
    ['global_avgpool', {}, ['N', 512, 7, 7], ['N', 512, 1, 1]],
  ])('%s %j on %j -> %j', (op, attrs, input, expected) => {
    expect(infer(op, [input as Shape], attrs)).toEqual(expected);
  });

  it('pool stride defaults to the kernel', () => {
    const n = node('p', 'maxpool', ['x'], { kernel: 3 });
    expect(n.attrs['stride']).toEqual([3, 3]);
  });

  it('rejects pool padding above half the kernel', () => {
    expect(() => infer('maxpool', [[1, 1, 8, 8]], { kernel: 2, pad: 2 })).toThrow(/exceeds half/);
  });
});

describe('other ops', () => {
  it('dense needs a 2-D input and hints at flatten', () => {
    try {
      infer('dense', [['N', 512, 7, 7]], { units: 10 });
      expect.unreachable();
    } catch (e) {
      expect((e as ShapeError).message).toBe('dense needs a 2-D input [N, K]; got [N, 512, 7, 7]');
      expect((e as ShapeError).hint).toBe('add `flatten` before it');
    }
  });
  it('flatten and reshape', () => {
    expect(infer('flatten', [['N', 512, 7, 7]])).toEqual(['N', 25088]);
    expect(infer('flatten', [['N', 3, 'H', 'W']])).toEqual(['N', '3*H*W']);
    expect(infer('reshape', [[2, 12]], { shape: [3, -1] })).toEqual([2, 3, 4]);
    expect(() => infer('reshape', [[2, 12]], { shape: [5, -1] })).toThrow(/cannot split 12/);
    expect(() => infer('reshape', [[2, 12]], { shape: [5, 2] })).toThrow(/needs 10 elements/);
  });
  it('add and concat check their inputs', () => {
    expect(
      infer('add', [
        [1, 2, 3, 3],
        [1, 2, 3, 3],
        [1, 2, 3, 3],
      ]),
    ).toEqual([1, 2, 3, 3]);
    expect(() =>
      infer('add', [
        [1, 2, 3, 3],
        [1, 4, 3, 3],
      ]),
    ).toThrow(/input 2 is \[1, 4, 3, 3\]/);
    expect(
      infer('concat', [
        ['N', 64, 28, 28],
        ['N', 128, 28, 28],
      ]),
    ).toEqual(['N', 192, 28, 28]);
    expect(() =>
      infer('concat', [
        ['N', 64, 28, 28],
        ['N', 128, 14, 14],
      ]),
    ).toThrow(/does not match/);
  });
  it('softmax refuses the batch axis', () => {
    expect(() => infer('softmax', [['N', 10]], { axis: 0 })).toThrow(/batch/);
    expect(infer('softmax', [['N', 10]], { axis: -1 })).toEqual(['N', 10]);
  });
  it('batchnorm counts learnable params and buffers apart', () => {
    const g = graph([
      node('x', 'input', [], { shape: ['N', 16, 4, 4] }),
      node('bn', 'batchnorm', ['x']),
    ]);
    const stats = modelStats(g, checkGraph(g).shapes);
    expect(stats.totalParams).toBe(32);
    expect(stats.totalBuffers).toBe(32);
  });
});

describe('attribute resolution', () => {
  const resolve = (op: string, raw: Record<string, unknown>) =>
    resolveAttrs(
      getOp(op)!,
      new Map(Object.entries(raw).map(([k, v]) => [k, { value: v as never }])),
      { node: 'n' },
    );

  it('normalises pairs and pads and fills defaults', () => {
    const { attrs, diagnostics } = resolve('conv', { channels: 4, kernel: 3, pad: [1, 2] });
    expect(diagnostics).toEqual([]);
    expect(attrs).toEqual({
      channels: 4,
      kernel: [3, 3],
      stride: [1, 1],
      pad: [1, 2, 1, 2],
      dilation: [1, 1],
      groups: 1,
      bias: true,
    });
  });
  it('reports every problem, with did-you-mean', () => {
    const { diagnostics } = resolve('conv', { kernal: 3, stride: 0, bias: 1 });
    expect(diagnostics.map((d) => [d.code, d.message, d.hint])).toEqual([
      ['attr/unknown', 'conv has no attribute `kernal`', 'did you mean `kernel`?'],
      [
        'attr/invalid',
        'conv attribute `stride` must be at least 1, got 0',
        'step between windows [sh, sw]',
      ],
      [
        'attr/invalid',
        'conv attribute `bias` expects true or false, got 1',
        'add a learned bias per output channel',
      ],
      ['attr/missing', 'conv `n` needs attribute `channels` (output channels)', undefined],
      ['attr/missing', 'conv `n` needs attribute `kernel` (window size [kh, kw])', undefined],
    ]);
  });
});
