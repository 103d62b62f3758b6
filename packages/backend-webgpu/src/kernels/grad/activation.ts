/**
 * Backward kernels of the activations: the upstream gradient times the local derivative,
 * written in whichever forward tensor core's op definition passes (x, or y where cheaper).
 *
 * Cache keys: the op (and GELU's form); leaky ReLU's slope is a parameter.
 */
import { float, int, str } from '@kiln/core';
import type { Node } from '@kiln/core';
import type { ShaderBuilder } from '../../wgsl/builder.js';
import { unravelBy } from '../../wgsl/builder.js';
import { ERFC, GELU_A, GELU_C, TANH } from '../../wgsl/math.js';
import { program } from '../../wgsl/program.js';
import { perElement } from '../grid.js';
import type { PointwiseSpec } from '../pointwise.js';
import { pointwise } from '../pointwise.js';
import { aroundAxis } from '../softmax.js';
import type { GpuKernel } from '../types.js';
import { input, output, sizeOf } from '../types.js';

const GELU_GRAD = {
  none: `
fn k_gelu_grad(x: f32) -> f32 {
  // d/dx xΦ(x) = Φ(x) + xφ(x).
  return 0.5 * k_erfc(-x * 0.7071067811865476) + x * 0.3989422804014327 * exp(-0.5 * x * x);
}`,
  tanh: `
fn k_gelu_grad(x: f32) -> f32 {
  // d/dx ½x(1 + tanh u), u = c(x + a x³): ½(1 + t) + ½x(1 − t²)·c(1 + 3a x²). Past |x| = 20,
  // 1 − t² is 0 in float32, and clamping keeps x³ finite.
  let xc = clamp(x, -20.0, 20.0);
  let t = k_tanh(${GELU_C} * (xc + ${GELU_A} * xc * xc * xc));
  return 0.5 * (1.0 + t) + 0.5 * xc * (1.0 - t * t) * ${GELU_C} * (1.0 + 3.0 * ${GELU_A} * xc * xc);
}`,
};

/** A kernel computing `expr(dy, t)` per element; `key` says what the expression depends on. */
function pointwiseGrad(
  op: string,
  key: (node: Node) => string,
  expr: (s: ShaderBuilder, dy: string, t: string, node: Node) => string,
  scalars: (node: Node) => Record<string, number> = () => ({}),
): GpuKernel {
  return {
    op,
    bind: (node) => ({
      plan({ outShape, limits }) {
        const n = sizeOf(outShape);
        const spec: PointwiseSpec = {
          key: key(node),
          arity: 2,
          expr: (s, [dy, t], i) => expr(s, dy!.get(i), t!.get(i), node),
        };
        const d = pointwise(
          spec,
          [input(0), input(1)],
          [n, n],
          n,
          limits,
          node.name,
          scalars(node),
        );
        return { dispatches: [d] };
      },
    }),
  };
}

// PyTorch's subgradient at 0 is 0 for relu and alpha for leaky relu: both test x > 0.
export const reluGrad = pointwiseGrad(
  'relu_grad',
  () => 'relu_grad',
  (_s, dy, x) => `select(0.0, ${dy}, ${x} > 0.0)`,
);

export const leakyReluGrad = pointwiseGrad(
  'leaky_relu_grad',
  () => 'leaky_relu_grad',
  (s, dy, x) => `select(${s.param('alpha', 'f32')} * ${dy}, ${dy}, ${x} > 0.0)`,
  (node) => ({ alpha: float(node.attrs, 'alpha') }),
);

export const geluGrad = pointwiseGrad(
  'gelu_grad',
  (node) => `gelu_grad-${str(node.attrs, 'approximate')}`,
  (s, dy, x, node) => {
    const form = str(node.attrs, 'approximate') === 'tanh' ? 'tanh' : 'none';
    s.define(form === 'tanh' ? TANH : ERFC);
    s.define(GELU_GRAD[form]);
    return `${dy} * k_gelu_grad(${x})`;
  },
);

export const sigmoidGrad = pointwiseGrad(
  'sigmoid_grad',
  () => 'sigmoid_grad',
  (_s, dy, y) => `${dy} * ${y} * (1.0 - ${y})`,
);

export const tanhGrad = pointwiseGrad(
  'tanh_grad',
  () => 'tanh_grad',
  (_s, dy, y) => `${dy} * (1.0 - ${y} * ${y})`,
);

/** dx = y ⊙ (dy − Σ_axis dy ⊙ y): the softmax Jacobian diag(y) − y yᵀ applied to dy. */
export const softmaxGrad: GpuKernel = {
  op: 'softmax_grad',
  bind: (node) => ({
    plan({ inShapes, limits }) {
      const view = aroundAxis(inShapes[0]!, int(node.attrs, 'axis'));
      const p = program('softmax_grad', limits, (s) => {
        const dy = s.tensor('dy', 3);
        const y = s.tensor('y', 3);
        const dx = s.tensor('dx', 3, 'read_write');
        s.main(`
  let row = ${s.flatId};
  if (row >= ${y.dim(0)} * ${y.dim(2)}) { return; }
  ${unravelBy('row', [y.dim(2), '1u'], ['o', 'i'])}
  var dot = 0.0;
  for (var a = 0u; a < ${y.dim(1)}; a++) { dot += ${dy.at('o', 'a', 'i')} * ${y.at('o', 'a', 'i')}; }
  for (var a = 0u; a < ${y.dim(1)}; a++) {
    let at = ${y.offset('o', 'a', 'i')};
    ${dx.set('at', `${y.get('at')} * (${dy.get('at')} - dot)`)}
  }`);
      });
      return {
        dispatches: [
          {
            program: p,
            operands: [input(0), input(1), output],
            shapes: { dy: view, y: view, dx: view },
            workgroups: perElement(view[0] * view[2], limits, node.name),
          },
        ],
      };
    },
  }),
};
