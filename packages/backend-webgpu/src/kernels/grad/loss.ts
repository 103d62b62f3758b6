/**
 * Loss kernels (a mean over the batch, output [1]) and their gradients, inputs (prediction,
 * target). A loss is one workgroup: each invocation adds a strided share of the rows or
 * elements, and the shares meet in a tree (wgsl/reduce.ts). The fused forms never exponentiate
 * a large positive number:
 * - cross-entropy of softmax per row: Σ_k t_k (max − z_k + log Σ exp(z − max)); gradient
 *   (softmax(z)·Σt − t) / N;
 * - binary cross-entropy of sigmoid: max(z, 0) − t·z + log1p(e^−|z|); gradient (σ(z) − t) / count;
 * - mean squared error over all elements; gradient 2(y − t) / count.
 *
 * Cache keys: the op.
 */
import type { GpuLimits } from '../../device.js';
import type { ShaderBuilder, TensorVar } from '../../wgsl/builder.js';
import { LOG1P, SIGMOID } from '../../wgsl/math.js';
import { program } from '../../wgsl/program.js';
import { strided, workgroupSum } from '../../wgsl/reduce.js';
import { perElement } from '../grid.js';
import type { PointwiseSpec } from '../pointwise.js';
import { pointwise } from '../pointwise.js';
import type { Dims, Dispatch, GpuKernel } from '../types.js';
import { input, output, sizeOf } from '../types.js';

const rows = (shape: Dims): [number, number] => [shape[0]!, sizeOf(shape.slice(1))];

/** Statements declaring `top` and `lse` = log Σ exp(z − top) of row `r` of z [N, K]. */
function logSumExp(z: TensorVar, r: string): string {
  return `
  var top = ${z.at(r, '0u')};
  for (var k = 1u; k < ${z.dim(1)}; k++) { top = max(top, ${z.at(r, 'k')}); }
  var total = 0.0;
  for (var k = 0u; k < ${z.dim(1)}; k++) { total += exp(${z.at(r, 'k')} - top); }
  let lse = log(total);`;
}

/** A one-workgroup mean: `share` adds item `j`'s term to `part`; the mean divides by `count`. */
function meanLoss(
  key: string,
  shape: [number, number],
  items: (z: TensorVar) => string,
  share: (s: ShaderBuilder, z: TensorVar, t: TensorVar) => string,
  count: number,
  limits: GpuLimits,
): Dispatch {
  const p = program(`loss:${key}`, limits, (s) => {
    const z = s.tensor('z', 2);
    const t = s.tensor('t', 2);
    const out = s.tensor('out', 1, 'read_write');
    s.main(`
  var part = 0.0;
  ${strided(s, 'j', items(z))} {
    ${share(s, z, t)}
  }
  ${workgroupSum(s, 'sum', 'part')}
  if (lix == 0u) { ${out.set('0u', `sum / f32(${s.param('count', 'u32')})`)} }`);
  });
  return {
    program: p,
    operands: [input(0), input(1), output],
    shapes: { z: shape, t: shape, out: [1] },
    scalars: { count },
    workgroups: [1, 1, 1],
  };
}

export const softmaxCrossEntropy: GpuKernel = {
  op: 'softmax_cross_entropy',
  bind: () => ({
    plan({ inShapes, limits }) {
      const shape = rows(inShapes[0]!);
      const d = meanLoss(
        'softmax_cross_entropy',
        shape,
        (z) => z.dim(0),
        (_s, z, t) => `
    ${logSumExp(z, 'j')}
    for (var k = 0u; k < ${z.dim(1)}; k++) {
      part += ${t.at('j', 'k')} * (top - ${z.at('j', 'k')} + lse);
    }`,
        shape[0],
        limits,
      );
      return { dispatches: [d] };
    },
  }),
};

export const softmaxCrossEntropyGrad: GpuKernel = {
  op: 'softmax_cross_entropy_grad',
  bind: (node) => ({
    plan({ inShapes, limits }) {
      const shape = rows(inShapes[0]!);
      const p = program('softmax_cross_entropy_grad', limits, (s) => {
        const z = s.tensor('z', 2);
        const t = s.tensor('t', 2);
        const dz = s.tensor('dz', 2, 'read_write');
        s.main(`
  let r = ${s.flatId};
  if (r >= ${z.dim(0)}) { return; }
  ${logSumExp(z, 'r')}
  var mass = 0.0;
  for (var k = 0u; k < ${z.dim(1)}; k++) { mass += ${t.at('r', 'k')}; }
  for (var k = 0u; k < ${z.dim(1)}; k++) {
    let p = exp(${z.at('r', 'k')} - top - lse);
    ${dz.set(dz.offset('r', 'k'), `(p * mass - ${t.at('r', 'k')}) / f32(${z.dim(0)})`)}
  }`);
      });
      const d: Dispatch = {
        program: p,
        operands: [input(0), input(1), output],
        shapes: { z: shape, t: shape, dz: shape },
        workgroups: perElement(shape[0], limits, node.name),
      };
      return { dispatches: [d] };
    },
  }),
};

function elementLoss(
  op: string,
  term: (s: ShaderBuilder, y: string, t: string) => string,
): GpuKernel {
  return {
    op,
    bind: () => ({
      plan({ inShapes, limits }) {
        const n = sizeOf(inShapes[0]!);
        const d = meanLoss(
          op,
          [1, n],
          (z) => z.count,
          (s, z, t) => `part += ${term(s, z.get('j'), t.get('j'))};`,
          n,
          limits,
        );
        return { dispatches: [d] };
      },
    }),
  };
}

function elementGrad(
  op: string,
  expr: (s: ShaderBuilder, y: string, t: string, n: string) => string,
): GpuKernel {
  return {
    op,
    bind: (node) => ({
      plan({ inShapes, limits }) {
        const n = sizeOf(inShapes[0]!);
        const spec: PointwiseSpec = {
          key: op,
          arity: 2,
          expr: (s, [y, t], i) => expr(s, y!.get(i), t!.get(i), `f32(${s.param('count', 'u32')})`),
        };
        const d = pointwise(spec, [input(0), input(1)], [n, n], n, limits, node.name, { count: n });
        return { dispatches: [d] };
      },
    }),
  };
}

export const sigmoidBce = elementLoss('sigmoid_bce', (s, z, t) => {
  s.define(LOG1P);
  return `max(${z}, 0.0) - ${t} * ${z} + k_log1p(exp(-abs(${z})))`;
});

export const sigmoidBceGrad = elementGrad('sigmoid_bce_grad', (s, z, t, n) => {
  s.define(SIGMOID);
  return `(k_sigmoid(${z}) - ${t}) / ${n}`;
});

export const mseLoss = elementLoss('mse_loss', (_s, y, t) => `(${y} - ${t}) * (${y} - ${t})`);

export const mseLossGrad = elementGrad(
  'mse_loss_grad',
  (_s, y, t, n) => `2.0 * (${y} - ${t}) / ${n}`,
);
