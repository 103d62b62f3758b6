/**
 * Backward kernels of conv, per image and channel group, through the packed GEMM with the
 * column matrix C_g of x (columns.ts), [depth = C/groups·kh·kw, area = OH·OW]:
 * - dL/dW_g [Cout/groups, depth] += dy_g [Cout/groups, area] · C_gᵀ, summed over the batch;
 * - dL/dx: the columns' gradient W_gᵀ · dy_g [depth, area] is scattered back by col2im. W_gᵀ is
 *   packed once at bind time.
 */
import { int, ints } from '@kiln/core';
import type { Node } from '@kiln/core';
import type { PackedA } from '../gemm.js';
import { gemm, packA, packB, packedASize, packedBSize } from '../gemm.js';
import type { ConvGeometry } from '../im2col.js';
import type { Dims, Kernel } from '../types.js';
import { col2imAdd, im2colPlain } from './columns.js';

interface Layout {
  readonly groups: number;
  readonly geometry: ConvGeometry;
  /** Channels of x and of dy. */
  readonly cin: number;
  readonly cout: number;
  readonly depth: number;
  readonly area: number;
}

function layout(node: Node, x: Dims, dy: Dims): Layout {
  const a = node.attrs;
  const groups = int(a, 'groups');
  const [kh, kw] = ints(a, 'kernel') as [number, number];
  const [sh, sw] = ints(a, 'stride') as [number, number];
  const [pt, pl] = ints(a, 'pad') as [number, number];
  const [dh, dw] = ints(a, 'dilation') as [number, number];
  const [, cin, height, width] = x as [number, number, number, number];
  const [, cout, oh, ow] = dy as [number, number, number, number];
  const channels = cin / groups;
  const geometry = { channels, height, width, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow };
  return { groups, geometry, cin, cout, depth: channels * kh * kw, area: oh * ow };
}

export const convGradWeight: Kernel = {
  op: 'conv_grad_weight',
  bind(node) {
    let cols = new Float32Array(0);
    let a = new Float32Array(0);
    let b = new Float32Array(0);
    return {
      run([dy, x], [dyShape, xShape], out) {
        const { groups, geometry, cin, cout, depth, area } = layout(node, xShape!, dyShape!);
        const opg = cout / groups;
        const { height: h, width: w } = geometry;
        if (cols.length < depth * area) cols = new Float32Array(depth * area);
        if (a.length < packedASize(opg, area)) a = new Float32Array(packedASize(opg, area));
        if (b.length < packedBSize(area, depth)) b = new Float32Array(packedBSize(area, depth));
        out.fill(0);
        for (let n = 0; n < xShape![0]!; n++) {
          for (let g = 0; g < groups; g++) {
            im2colPlain(x!, (n * cin + g * geometry.channels) * h * w, geometry, cols);
            const dyg = packA(opg, area, dy!, (n * cout + g * opg) * area, area, 1, a);
            // C_gᵀ: element (position p, row d) is cols[d·area + p].
            const colsT = packB(area, depth, cols, 0, 1, area, b);
            gemm(dyg, colsT, out, g * opg * depth, depth);
          }
        }
      },
    };
  },
};

export const convGradInput: Kernel = {
  op: 'conv_grad_input',
  bind(node, param) {
    const weight = param('weight');
    const groups = int(node.attrs, 'groups');
    const opg = int(node.attrs, 'channels') / groups;
    const depth = weight.length / (opg * groups);
    // W_gᵀ [depth, opg]: element (d, o) is W[(g·opg + o)·depth + d].
    const packed: PackedA[] = [];
    for (let g = 0; g < groups; g++)
      packed.push(packA(depth, opg, weight, g * opg * depth, 1, depth));
    let cols = new Float32Array(0);
    let b = new Float32Array(0);
    return {
      run([dy], [dyShape, xShape], out) {
        const { geometry, cin, cout, area } = layout(node, xShape!, dyShape!);
        const { height: h, width: w } = geometry;
        if (cols.length < depth * area) cols = new Float32Array(depth * area);
        if (b.length < packedBSize(opg, area)) b = new Float32Array(packedBSize(opg, area));
        out.fill(0);
        for (let n = 0; n < xShape![0]!; n++) {
          for (let g = 0; g < groups; g++) {
            cols.fill(0, 0, depth * area);
            const dyg = packB(opg, area, dy!, (n * cout + g * opg) * area, area, 1, b);
            gemm(packed[g]!, dyg, cols, 0, area);
            col2imAdd(cols, geometry, out, (n * cin + g * geometry.channels) * h * w);
          }
        }
      },
    };
  },
};
