/**
 * Gradient checking: the analytic gradients of a training graph (core's autodiff, the CPU
 * backward kernels) against central finite differences of the same graph's loss.
 *
 * The loss is recomputed by the forward kernels only, so the two sides share no backward code.
 * Kernels are float32: the loss is rounded to float32, so with step h a difference quotient
 * carries noise of about ulp(L)/h. We use h = 1e-2 on smooth ops (truncation error O(h²)) and
 * compare with a tolerance of 2% of the largest gradient plus 1e-4: any real mistake (a missing
 * term, a transposed index, a wrong divisor) moves gradients by tens of percent.
 */
import type { Graph, LossKind, Tensor, Weights } from '@kiln/core';
import { Rng, buildTrainingGraph, checkGraph, initWeights } from '@kiln/core';
import { cpuBackend } from '@kiln/backend-cpu';
import { compile } from '@kiln/dsl';
import { expect } from 'vitest';

export function model(text: string): Graph {
  const result = compile(text, 'test.kiln');
  if (!result.graph) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return result.graph;
}

export function random(shape: readonly number[], seed: number, scale = 1): Tensor {
  const rng = new Rng(seed);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal() * scale;
  return { dtype: 'f32', shape, data };
}

export interface GradCase {
  readonly graph: Graph;
  /** Model inputs, plus any masks the training graph needs. */
  readonly inputs: Record<string, Tensor>;
  readonly loss?: LossKind;
  /** Target; default: random normals shaped like the prediction. */
  readonly target?: Tensor;
  /** Finite-difference step. */
  readonly h?: number;
  readonly weights?: Weights;
  /** Indices checked per tensor (all when the tensor is smaller). */
  readonly samples?: number;
}

export interface GradReport {
  readonly checked: string[];
  readonly maxError: number;
}

/** Compares every parameter gradient and dL/d(input) of each model input with finite differences. */
export async function gradCheck(c: GradCase): Promise<GradReport> {
  const { graph } = c;
  const { shapes } = checkGraph(graph);
  const prediction = graph.outputs[0]!;
  const modelInputs = graph.nodes.filter((n) => n.op === 'input').map((n) => n.name);
  const train = buildTrainingGraph(
    graph,
    { kind: c.loss ?? 'mse_loss', prediction },
    { inputGrads: modelInputs },
  );
  const weights = new Map(c.weights ?? initWeights(graph, shapes, 7));
  // Biases start at zero; make them random so their gradient paths are exercised.
  for (const [name, t] of weights) {
    if (name.endsWith('.bias')) weights.set(name, random(t.shape, name.length, 0.5));
  }
  const forward = await cpuBackend.compile(graph, weights);
  const out = (await forward.run(onlyModelInputs(c.inputs, modelInputs)))[prediction]!;
  const target = c.target ?? random(out.shape, 99);
  const feeds = { ...c.inputs, [train.target]: target };

  const session = await cpuBackend.compile(train.graph, weights);
  const analytic = await session.run(feeds);
  const lossAt = async (w: Weights, f: Record<string, Tensor>): Promise<number> => {
    const s = w === weights ? session : await cpuBackend.compile(train.graph, w);
    return (await s.run(f))[train.loss]!.data[0]!;
  };
  const h = c.h ?? 1e-2;
  const checked: string[] = [];
  let maxError = 0;
  const compare = async (
    label: string,
    grad: Float32Array,
    perturb: (i: number, delta: number) => Promise<number>,
  ) => {
    const picks = indices(grad.length, c.samples ?? 24, label.length);
    const numeric: number[] = [];
    for (const i of picks) numeric.push(((await perturb(i, h)) - (await perturb(i, -h))) / (2 * h));
    const scale = Math.max(...numeric.map(Math.abs), ...picks.map((i) => Math.abs(grad[i]!)));
    picks.forEach((i, k) => {
      const err = Math.abs(grad[i]! - numeric[k]!);
      maxError = Math.max(maxError, err / Math.max(scale, 1e-3));
      expect(err, `${label}[${i}]: analytic ${grad[i]}, numeric ${numeric[k]}`).toBeLessThanOrEqual(
        0.02 * scale + 1e-4,
      );
    });
    checked.push(label);
  };

  for (const [param, tensor] of train.paramGrads) {
    const base = weights.get(param)!;
    await compare(param, analytic[tensor]!.data, async (i, delta) => {
      const data = base.data.slice();
      data[i]! += delta;
      return lossAt(new Map(weights).set(param, { ...base, data }), feeds);
    });
  }
  for (const [name, tensor] of train.inputGrads) {
    const base = c.inputs[name]!;
    await compare(name, analytic[tensor]!.data, async (i, delta) => {
      const data = base.data.slice();
      data[i]! += delta;
      return lossAt(weights, { ...feeds, [name]: { ...base, data } });
    });
  }
  return { checked, maxError };
}

function onlyModelInputs(inputs: Record<string, Tensor>, names: readonly string[]) {
  return Object.fromEntries(names.map((n) => [n, inputs[n]!]));
}

/** Up to `count` distinct indices below n, seeded. */
function indices(n: number, count: number, seed: number): number[] {
  if (n <= count) return [...Array(n).keys()];
  const rng = new Rng(seed);
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(rng.uniform() * n));
  return [...picked];
}
