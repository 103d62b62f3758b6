/**
 * Checks a rewrite numerically: runs the graph before and after on one backend, with the same
 * weights (the caller's, mapped for the rewritten graph) and the same seeded random inputs, and
 * measures how far each output moved. Core imports no backend; the caller passes one in (the
 * CPU backend, the reference, in the CLI's `rewrite --verify` and in tests).
 */
import type { Backend, Tensor, Weights } from '../backend/types.js';
import { formatShape } from '../ir/dims.js';
import type { Graph } from '../ir/types.js';
import { Rng } from '../weights/prng.js';

export interface VerifyOptions {
  /** Seeds the random inputs: uniform in [-1, 1), one stream per input, keyed by its name. */
  readonly seed: number;
  /** Weights of `before`; `mapWeights` turns them into weights of `after`. */
  readonly weights: Weights;
  /** Inputs to use instead of random ones, by input name. */
  readonly inputs?: Readonly<Record<string, Tensor>>;
  /** Size given to a symbolic batch dimension of random inputs (default 1). */
  readonly batch?: number;
  /** Sizes of other symbolic dimensions, passed on to `compile` as well. */
  readonly dims?: Readonly<Record<string, number>>;
}

export interface OutputDifference {
  readonly before: string;
  readonly after: string;
  readonly shape: readonly number[];
  /** Largest |before - after| over the output's elements. */
  readonly maxAbs: number;
  /**
   * `maxAbs` divided by the largest |before| of this output: the error relative to the
   * output's scale. An elementwise ratio would be meaningless where an element is near zero.
   */
  readonly maxRel: number;
}

export interface VerifyResult {
  /** One entry per model output, paired by position (a rewrite may rename an output). */
  readonly outputs: readonly OutputDifference[];
  readonly maxAbs: number;
  readonly maxRel: number;
}

function randomInputs(graph: Graph, options: VerifyOptions): Record<string, Tensor> {
  const out: Record<string, Tensor> = { ...options.inputs };
  graph.nodes
    .filter((n) => n.op === 'input' && !(n.name in out))
    .forEach((n) => {
      const dims = n.attrs['shape'] as readonly (number | string)[];
      const shape = dims.map((d, axis) => {
        if (typeof d === 'number') return d;
        const bound = axis === 0 ? (options.batch ?? 1) : options.dims?.[d];
        if (bound === undefined) throw new Error(`verify: no size given for dimension \`${d}\``);
        return bound;
      });
      const size = shape.reduce((a, b) => a * b, 1);
      const rng = Rng.forTensor(options.seed, n.name);
      const data = new Float32Array(size);
      for (let k = 0; k < size; k++) data[k] = rng.uniform() * 2 - 1;
      out[n.name] = { dtype: 'f32', shape, data };
    });
  return out;
}

/**
 * Whether two output shapes hold the same values in the same order: equal, or equal but for
 * trailing 1s. The second case is fc-to-conv in spatial mode at the model's own input size: its
 * [N, K, 1, 1] map holds exactly the [N, K] scores.
 */
function sameLayout(a: readonly number[], b: readonly number[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.every((d, i) => d === long[i]) && long.slice(short.length).every((d) => d === 1);
}

function difference(before: string, after: string, a: Tensor, b: Tensor): OutputDifference {
  if (!sameLayout(a.shape, b.shape)) {
    throw new Error(
      `verify: output \`${after}\` is ${formatShape(b.shape)}, ` +
        `\`${before}\` was ${formatShape(a.shape)}`,
    );
  }
  let maxAbs = 0;
  let scale = 0;
  for (let i = 0; i < a.data.length; i++) {
    const [x, y] = [a.data[i]!, b.data[i]!];
    // NaN on one side only is an infinite difference; the same non-finite value on both sides
    // (overflow in the model itself) is not one the rewrite introduced.
    const same = x === y || (Number.isNaN(x) && Number.isNaN(y));
    const d = same ? 0 : Math.abs(x - y);
    maxAbs = Math.max(maxAbs, Number.isNaN(d) ? Infinity : d);
    if (Number.isFinite(x)) scale = Math.max(scale, Math.abs(x));
  }
  const maxRel = maxAbs === 0 ? 0 : scale === 0 ? Infinity : maxAbs / scale;
  return { before, after, shape: a.shape, maxAbs, maxRel };
}

export async function verifyRewrite(
  before: Graph,
  after: Graph,
  mapWeights: ((weights: Weights) => Weights) | undefined,
  backend: Backend,
  options: VerifyOptions,
): Promise<VerifyResult> {
  if (before.outputs.length !== after.outputs.length) {
    throw new Error(
      `verify: the rewrite has ${after.outputs.length} outputs, ` +
        `the model had ${before.outputs.length}`,
    );
  }
  const compileOptions = options.dims ? { dims: options.dims } : {};
  const inputs = randomInputs(before, options);
  const afterWeights = mapWeights ? mapWeights(options.weights) : options.weights;
  const [s0, s1] = await Promise.all([
    backend.compile(before, options.weights, compileOptions),
    backend.compile(after, afterWeights, compileOptions),
  ]);
  const [r0, r1] = [await s0.run(inputs), await s1.run(inputs)];
  const outputs = before.outputs.map((name, i) => {
    const other = after.outputs[i]!;
    const a = r0[name];
    const b = r1[other];
    if (!a || !b) throw new Error(`verify: output \`${a ? other : name}\` was not returned`);
    return difference(name, other, a, b);
  });
  return {
    outputs,
    maxAbs: Math.max(0, ...outputs.map((o) => o.maxAbs)),
    maxRel: Math.max(0, ...outputs.map((o) => o.maxRel)),
  };
}
