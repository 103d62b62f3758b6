/**
 * The conv kernel (im2col written straight into GEMM panels, block by block) against a direct
 * float64 convolution written from the definition. The cases aim at the packing's edges: output
 * rows split across NC blocks, depth split across KC blocks, partial panels, padding wider than
 * the kernel, strides, dilations, groups and the 1x1 path that skips im2col.
 */
import { describe, expect, it } from 'vitest';
import { conv } from '../src/kernels/conv.js';
import { node, randomTensor } from './graph.js';

interface Case {
  name: string;
  input: [number, number, number, number];
  channels: number;
  kernel: [number, number];
  stride?: [number, number];
  pad?: [number, number, number, number];
  dilation?: [number, number];
  groups?: number;
  bias?: boolean;
}

function outSize(c: Case): [number, number] {
  const [, , h, w] = c.input;
  const [kh, kw] = c.kernel;
  const [sh, sw] = c.stride ?? [1, 1];
  const [pt, pl, pb, pr] = c.pad ?? [0, 0, 0, 0];
  const [dh, dw] = c.dilation ?? [1, 1];
  return [
    Math.floor((h + pt + pb - dh * (kh - 1) - 1) / sh) + 1,
    Math.floor((w + pl + pr - dw * (kw - 1) - 1) / sw) + 1,
  ];
}

/** out[b, o, y, x] = bias[o] + sum over the taps of its group, zero outside the input. */
function directConv(c: Case, x: Float32Array, wt: Float32Array, bias?: Float32Array) {
  const [n, cin, h, w] = c.input;
  const [kh, kw] = c.kernel;
  const [sh, sw] = c.stride ?? [1, 1];
  const [pt, pl] = c.pad ?? [0, 0, 0, 0];
  const [dh, dw] = c.dilation ?? [1, 1];
  const groups = c.groups ?? 1;
  const [oh, ow] = outSize(c);
  const cpg = cin / groups;
  const opg = c.channels / groups;
  const out = new Float64Array(n * c.channels * oh * ow);
  for (let b = 0; b < n; b++)
    for (let o = 0; o < c.channels; o++)
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++) {
          let s = bias ? bias[o]! : 0;
          const g = Math.floor(o / opg);
          for (let ci = 0; ci < cpg; ci++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const y = oy * sh - pt + i * dh;
                const xx = ox * sw - pl + j * dw;
                if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                const v = x[((b * cin + g * cpg + ci) * h + y) * w + xx]!;
                s += v * wt[((o * cpg + ci) * kh + i) * kw + j]!;
              }
          out[((b * c.channels + o) * oh + oy) * ow + ox] = s;
        }
  return out;
}

const cases: Case[] = [
  { name: 'odd sizes, pad 1', input: [1, 3, 7, 9], channels: 5, kernel: [3, 3], pad: [1, 1, 1, 1] },
  {
    name: 'stride 2, uneven pad',
    input: [2, 4, 11, 8],
    channels: 6,
    kernel: [3, 2],
    stride: [2, 3],
    pad: [0, 1, 2, 0],
  },
  {
    name: 'dilation 2',
    input: [1, 3, 12, 10],
    channels: 4,
    kernel: [3, 3],
    dilation: [2, 3],
    pad: [2, 2, 2, 2],
  },
  {
    name: 'padding wider than the kernel',
    input: [1, 2, 5, 4],
    channels: 3,
    kernel: [2, 2],
    pad: [4, 3, 5, 4],
  },
  {
    name: 'groups 2, no bias',
    input: [1, 6, 9, 9],
    channels: 4,
    kernel: [3, 3],
    groups: 2,
    bias: false,
  },
  {
    name: 'depthwise',
    input: [2, 5, 8, 7],
    channels: 5,
    kernel: [3, 3],
    groups: 5,
    pad: [1, 1, 1, 1],
  },
  // 26x26 = 676 output positions: two NC blocks, the second starting mid-row; depth 32*9 = 288
  // spans two KC blocks; 9 output rows leave a partial MR panel.
  {
    name: 'several cache blocks',
    input: [1, 32, 26, 26],
    channels: 9,
    kernel: [3, 3],
    pad: [1, 1, 1, 1],
  },
  { name: '1x1 direct, several blocks', input: [1, 300, 23, 27], channels: 7, kernel: [1, 1] },
  { name: '1x1 with stride', input: [1, 3, 9, 9], channels: 2, kernel: [1, 1], stride: [2, 2] },
];

describe('conv kernel', () => {
  for (const c of cases) {
    it(`matches a direct convolution: ${c.name}`, () => {
      const [n, cin] = c.input;
      const groups = c.groups ?? 1;
      const bias = c.bias ?? true;
      const conf = node('y', 'conv', ['x'], {
        channels: c.channels,
        kernel: c.kernel,
        stride: c.stride ?? [1, 1],
        pad: c.pad ?? [0, 0, 0, 0],
        dilation: c.dilation ?? [1, 1],
        groups,
        bias,
      });
      const [kh, kw] = c.kernel;
      const x = randomTensor(c.input, 11).data;
      const wt = randomTensor([c.channels, cin / groups, kh, kw], 12).data;
      const b = bias ? randomTensor([c.channels], 13).data : undefined;
      const params: Record<string, Float32Array> = { weight: wt, ...(b ? { bias: b } : {}) };
      const bound = conv.bind(conf, (name) => params[name]!);
      const [oh, ow] = outSize(c);
      const shape = [n, c.channels, oh, ow];
      const want = directConv(c, x, wt, b);
      // Run twice into a dirty buffer: the kernel must overwrite all of it and keep no state.
      const out = new Float32Array(want.length).fill(Number.NaN);
      for (let r = 0; r < 2; r++) {
        bound.run([x], [c.input], out, shape);
        for (let i = 0; i < want.length; i++) {
          expect(Math.abs(out[i]! - want[i]!)).toBeLessThanOrEqual(
            1e-5 * Math.max(1, Math.abs(want[i]!)),
          );
        }
      }
    });
  }
});
