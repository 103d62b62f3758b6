/**
 * The shared form of elementwise kernels: one invocation per output element over flat views,
 * `out[i] = expr(inputs, i)`. The expression reads its inputs through the flat tensor vars it
 * is given (usually at `i`), so the kernel files only say what they compute.
 */
import type { GpuLimits } from '../device.js';
import type { ShaderBuilder, TensorVar } from '../wgsl/builder.js';
import { program } from '../wgsl/program.js';
import { perElement } from './grid.js';
import type { Dispatch, Operand } from './types.js';
import { output } from './types.js';

export interface PointwiseSpec {
  /** Everything the expression's code depends on. */
  readonly key: string;
  /** Flat inputs `a0`, `a1`, ... */
  readonly arity: number;
  /** Also read the output's current value (`out` in the expression): accumulation. */
  readonly accumulate?: boolean;
  /** The f32 value stored at `out[i]`. */
  expr(s: ShaderBuilder, inputs: readonly TensorVar[], i: string): string;
}

/**
 * One dispatch of `spec` over `count` output elements. `operands` and `sizes` give each input's
 * binding and element count (an input may be shorter than the output: a broadcast the
 * expression indexes itself).
 */
export function pointwise(
  spec: PointwiseSpec,
  operands: readonly Operand[],
  sizes: readonly number[],
  count: number,
  limits: GpuLimits,
  node: string,
  scalars: Readonly<Record<string, number>> = {},
): Dispatch {
  const p = program(
    `pointwise:${spec.key}:${spec.arity}${spec.accumulate ? '+' : ''}`,
    limits,
    (s) => {
      const inputs = Array.from({ length: spec.arity }, (_, k) => s.tensor(`a${k}`, 1));
      const out = s.tensor('out', 1, 'read_write');
      s.main(`
  let i = ${s.flatId};
  if (i >= ${out.count}) { return; }
  ${out.set('i', spec.expr(s, inputs, 'i'))}`);
    },
  );
  const shapes: Record<string, readonly number[]> = { out: [count] };
  sizes.forEach((n, k) => (shapes[`a${k}`] = [n]));
  return {
    program: p,
    operands: [...operands, output],
    shapes,
    scalars,
    workgroups: perElement(count, limits, node),
  };
}
