/**
 * Training-mode kernels of dropout and batchnorm, and batchnorm's backward kernels. The batch
 * statistics are recomputed from x where a kernel needs them rather than passed between nodes
 * (the graph stays one tensor per node; the cost is a pass over x). Each batchnorm kernel is one
 * workgroup per channel: its invocations share the channel's N·H·W values, and the two-pass mean
 * and variance, and every other sum, meet in a tree (wgsl/reduce.ts).
 *
 * Cache keys: the op.
 */
import { float } from '@kiln/core';
import type { Node } from '@kiln/core';
import type { ShaderBuilder, TensorVar } from '../../wgsl/builder.js';
import { unravelBy } from '../../wgsl/builder.js';
import { program } from '../../wgsl/program.js';
import { strided, workgroupSum } from '../../wgsl/reduce.js';
import { grid } from '../grid.js';
import type { PointwiseSpec } from '../pointwise.js';
import { pointwise } from '../pointwise.js';
import type { BindContext, BoundKernel, ConstantSpec, GpuKernel, Operand } from '../types.js';
import { constant, input, output, sizeOf } from '../types.js';

/** x ⊙ mask / (1 − p); the mask is the loop's seeded 0/1 draw. */
export const dropoutMask: GpuKernel = {
  op: 'dropout_mask',
  bind: (node) => ({
    plan({ outShape, limits }) {
      const n = sizeOf(outShape);
      const spec: PointwiseSpec = {
        key: 'dropout_mask',
        arity: 2,
        expr: (s, [x, mask], i) => `${x!.get(i)} * ${mask!.get(i)} * ${s.param('scale', 'f32')}`,
      };
      const scalars = { scale: 1 / (1 - float(node.attrs, 'p')) };
      const d = pointwise(spec, [input(0), input(1)], [n, n], n, limits, node.name, scalars);
      return { dispatches: [d] };
    },
  }),
};

/**
 * Statements for the workgroup of channel `c` of x seen as [N, C, inner]: a loop over the
 * channel's values with `at` (their offset) in scope.
 */
function eachValue(s: ShaderBuilder, x: TensorVar, body: string): string {
  return `${strided(s, 'j', 'count')} {
    ${unravelBy('j', [x.dim(2), '1u'], ['b', 'r'])}
    let at = ${x.offset('b', 'c', 'r')};
    ${body}
  }`;
}

/** Statements declaring `c`, `count`, the batch `mean` and biased `variance` of channel c. */
function channelStats(s: ShaderBuilder, x: TensorVar): string {
  return `
  let c = ${s.groupId};
  if (c >= ${x.dim(1)}) { return; }
  let count = ${x.dim(0)} * ${x.dim(2)};
  var part = 0.0;
  ${eachValue(s, x, `part += ${x.get('at')};`)}
  ${workgroupSum(s, 'sum', 'part')}
  let mean = sum / f32(count);
  part = 0.0;
  ${eachValue(s, x, `let d = ${x.get('at')} - mean; part += d * d;`)}
  ${workgroupSum(s, 'squares', 'part')}
  let variance = squares / f32(count);
  let inv = 1.0 / sqrt(variance + ${s.param('eps', 'f32')});`;
}

interface ChannelSpec {
  readonly op: string;
  /** Node inputs the kernel reads: 1 (x) or 2 (dy, x). */
  readonly arity: 1 | 2;
  /** Weights of the forward node it reads, by local name. */
  readonly params: readonly string[];
  /** Statements after the statistics; `x`, `dy` (arity 2), `out` and each param in scope. */
  body(s: ShaderBuilder, t: Record<string, TensorVar>): string;
  /** The output's shape as the shader sees it, from x's [N, C, inner] view. */
  outView(view: readonly number[]): number[];
}

function channelKernel(spec: ChannelSpec): GpuKernel {
  return {
    op: spec.op,
    bind(node: Node, ctx: BindContext): BoundKernel {
      const constants: ConstantSpec[] = spec.params.map((p) => ctx.weight(p));
      return {
        constants,
        plan({ inShapes, limits }) {
          const x = inShapes[spec.arity - 1]!;
          const view = [x[0]!, x[1]!, sizeOf(x.slice(2))];
          const p = program(spec.op, limits, (s) => {
            const t: Record<string, TensorVar> = {};
            if (spec.arity === 2) t['dy'] = s.tensor('dy', 3);
            t['x'] = s.tensor('x', 3);
            for (const name of spec.params) t[name] = s.tensor(name, 1);
            t['out'] = s.tensor('out', spec.outView(view).length, 'read_write');
            s.main(`${channelStats(s, t['x'])}\n${spec.body(s, t)}`);
          });
          const operands: Operand[] = [
            ...(spec.arity === 2 ? [input(0), input(1)] : [input(0)]),
            ...constants.map((_, j) => constant(j)),
            output,
          ];
          const shapes: Record<string, readonly number[]> = { dy: view, x: view };
          for (const name of spec.params) shapes[name] = [view[1]!];
          shapes['out'] = spec.outView(view);
          const scalars = {
            eps: float(node.attrs, 'eps'),
            ...(spec.op === 'batchnorm_stats' ? { momentum: float(node.attrs, 'momentum') } : {}),
          };
          const d = {
            program: p,
            operands,
            shapes,
            scalars,
            workgroups: grid(view[1]!, limits, node.name),
          };
          return { dispatches: [d] };
        },
      };
    },
  };
}

export const batchnormTrain = channelKernel({
  op: 'batchnorm_train',
  arity: 1,
  params: ['weight', 'bias'],
  outView: (v) => [...v],
  body: (s, { x, out, weight, bias }) => `
  let scale = ${weight!.get('c')} * inv;
  ${eachValue(s, x!, out!.set('at', `(${x!.get('at')} - mean) * scale + ${bias!.get('c')}`))}`,
});

/** [2, C]: r ← (1 − momentum)·r + momentum·batch, for the mean and the unbiased variance. */
export const batchnormStats = channelKernel({
  op: 'batchnorm_stats',
  arity: 1,
  params: ['running_mean', 'running_var'],
  outView: (v) => [2, v[1]!],
  body: (s, { out, running_mean: rm, running_var: rv }) => {
    const momentum = s.param('momentum', 'f32');
    return `
  let unbias = select(1.0, f32(count) / f32(count - 1u), count > 1u);
  if (lix == 0u) {
    ${out!.set(out!.offset('0u', 'c'), `(1.0 - ${momentum}) * ${rm!.get('c')} + ${momentum} * mean`)}
    ${out!.set(out!.offset('1u', 'c'), `(1.0 - ${momentum}) * ${rv!.get('c')} + ${momentum} * variance * unbias`)}
  }`;
  },
});

/** Statements declaring the channel's Σ dy (`sum_dy`) and Σ dy·x̂ (`sum_dy_xhat`). */
function gradSums(s: ShaderBuilder, dy: TensorVar, x: TensorVar): string {
  return `
  part = 0.0;
  ${eachValue(s, x, `part += ${dy.get('at')};`)}
  ${workgroupSum(s, 'sum_dy', 'part')}
  part = 0.0;
  ${eachValue(s, x, `part += ${dy.get('at')} * (${x.get('at')} - mean) * inv;`)}
  ${workgroupSum(s, 'sum_dy_xhat', 'part')}`;
}

export const batchnormGradWeight = channelKernel({
  op: 'batchnorm_grad_weight',
  arity: 2,
  params: [],
  outView: (v) => [v[1]!],
  body: (s, { dy, x, out }) => `
  ${gradSums(s, dy!, x!)}
  if (lix == 0u) { ${out!.set('c', 'sum_dy_xhat')} }`,
});

/** dL/dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)): the batch mean and variance depend on x. */
export const batchnormGradInput = channelKernel({
  op: 'batchnorm_grad_input',
  arity: 2,
  params: ['weight'],
  outView: (v) => [...v],
  body: (s, { dy, x, out, weight }) => `
  ${gradSums(s, dy!, x!)}
  let m = f32(count);
  ${eachValue(
    s,
    x!,
    `let xhat = (${x!.get('at')} - mean) * inv;
    let centred = ${dy!.get('at')} - sum_dy / m - xhat * sum_dy_xhat / m;
    ${out!.set('at', `${weight!.get('c')} * inv * centred`)}`,
  )}`,
});
