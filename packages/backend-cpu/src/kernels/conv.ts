/**
 * Convolution as GEMM, per image and per channel group: out[g] = W[g] · im2col(x[g]), where
 * W[g] is [Cout/groups, Cin/groups*kh*kw] and is packed once at bind time. The B operand is
 * packed block by block as the GEMM needs it (gemmPacking): im2col writes straight into panels,
 * and a 1x1 kernel with stride 1, no padding and no dilation packs the input [Cin/groups, H*W]
 * directly. The bias initialises the output, so it is added exactly once.
 */
import { bool, int, ints } from '@kiln/core';
import { blockSize, gemmPacking, packA, packB } from './gemm.js';
import type { PackBlock, PackedA } from './gemm.js';
import type { ConvGeometry } from './im2col.js';
import { im2colBlock } from './im2col.js';
import type { Kernel } from './types.js';

export const conv: Kernel = {
  op: 'conv',
  bind(node, param) {
    const a = node.attrs;
    const cout = int(a, 'channels');
    const groups = int(a, 'groups');
    const [kh, kw] = ints(a, 'kernel') as [number, number];
    const [sh, sw] = ints(a, 'stride') as [number, number];
    const [pt, pl, pb, pr] = ints(a, 'pad') as [number, number, number, number];
    const [dh, dw] = ints(a, 'dilation') as [number, number];
    const weight = param('weight');
    const bias = bool(a, 'bias') ? param('bias') : undefined;
    const opg = cout / groups;
    const depth = weight.length / cout; // (Cin/groups) * kh * kw
    const packed: PackedA[] = [];
    for (let g = 0; g < groups; g++)
      packed.push(packA(opg, depth, weight, g * opg * depth, depth, 1));
    const pointwise = kh === 1 && kw === 1 && sh === 1 && sw === 1 && dh === 1 && dw === 1;
    const direct = pointwise && pt + pl + pb + pr === 0;
    // One KC x NC block of packed B, reused by every run of this node.
    const block = new Float32Array(blockSize());
    return {
      run([x], [inShape], out, outShape) {
        const src = x!;
        const [n, cin, h, w] = inShape as [number, number, number, number];
        const [, , oh, ow] = outShape as [number, number, number, number];
        const cpg = cin / groups;
        const area = oh * ow;
        const geometry: ConvGeometry = {
          channels: cpg,
          height: h,
          width: w,
          kh,
          kw,
          sh,
          sw,
          pt,
          pl,
          dh,
          dw,
          oh,
          ow,
        };
        for (let b = 0; b < n; b++) {
          for (let g = 0; g < groups; g++) {
            const inOff = (b * cin + g * cpg) * h * w;
            const outOff = (b * cout + g * opg) * area;
            for (let o = 0; o < opg; o++) {
              out.fill(bias ? bias[g * opg + o]! : 0, outOff + o * area, outOff + (o + 1) * area);
            }
            const packBlock: PackBlock = direct
              ? (p0, kc, j0, nc, dst) => packB(kc, nc, src, inOff + p0 * area + j0, area, 1, dst)
              : (p0, kc, j0, nc, dst) => im2colBlock(src, inOff, geometry, p0, kc, j0, nc, dst);
            gemmPacking(packed[g]!, area, packBlock, out, outOff, area, block);
          }
        }
      },
    };
  },
};
