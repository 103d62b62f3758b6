/**
 * `fold-batchnorm` (inference): a conv or dense followed by a batchnorm becomes one conv or
 * dense with the normalisation folded into its weight and bias.
 *
 * Pattern: `batchnorm` reading a `conv` or `dense` that nothing else reads (nor is an output).
 * Preconditions: inference (`options.training` unset): the batchnorm then uses its running
 * statistics, a fixed affine map per channel; in training it uses batch statistics and cannot
 * be folded. A linear layer with other readers is left alone: they need the unnormalised values.
 * Why outputs stay equal: per output channel c, batchnorm computes
 *   gamma (y - mean) / sqrt(var + eps) + beta = scale y + (beta - scale mean),
 *   scale = gamma / sqrt(var + eps),
 * and y = W[c] · x + b[c] is linear, so
 *   scale y + (beta - scale mean) = (scale W[c]) · x + scale (b[c] - mean) + beta.
 * Hence W' = W * scale (row c of a dense weight, filter c of a conv, grouped or not) and
 * b' = (b - mean) * scale + beta, with b = 0 when the layer had no bias; the fused layer always
 * has a bias.
 *
 * Naming: the fused layer keeps the conv's (dense's) name and readers of the batchnorm read it,
 * except when the batchnorm is a model output: then the fused layer takes the batchnorm's name,
 * so the model's output names stay as they were. Weights follow the fused layer's name.
 */
import type { Tensor, Weights } from '../backend/types.js';
import type { Node } from '../ir/types.js';
import { readersOf, rewire, useCount } from './graph_edit.js';
import type { Pass, PassChange, PassSkip } from './pass.js';

interface Fold {
  readonly linear: Node;
  readonly norm: Node;
  readonly fused: string;
}

function need(weights: Weights, name: string): Tensor {
  const t = weights.get(name);
  if (!t) throw new Error(`fold-batchnorm: weight \`${name}\` is missing`);
  return t;
}

/** Folds one batchnorm's statistics into its layer's weight and bias, in float64. */
function foldValues(weights: Weights, fold: Fold, out: Map<string, Tensor>): void {
  const { linear, norm, fused } = fold;
  const w = need(weights, `${linear.name}.weight`);
  const gamma = need(weights, `${norm.name}.weight`).data;
  const beta = need(weights, `${norm.name}.bias`).data;
  const mean = need(weights, `${norm.name}.running_mean`).data;
  const variance = need(weights, `${norm.name}.running_var`).data;
  const bias = linear.attrs['bias'] ? need(weights, `${linear.name}.bias`).data : undefined;
  const eps = norm.attrs['eps'] as number;
  const channels = w.shape[0]!;
  const perChannel = w.data.length / channels;
  const weight = new Float32Array(w.data.length);
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const scale = gamma[c]! / Math.sqrt(variance[c]! + eps);
    for (let i = c * perChannel; i < (c + 1) * perChannel; i++) weight[i] = w.data[i]! * scale;
    shift[c] = ((bias?.[c] ?? 0) - mean[c]!) * scale + beta[c]!;
  }
  for (const p of ['weight', 'bias']) out.delete(`${linear.name}.${p}`);
  for (const p of ['weight', 'bias', 'running_mean', 'running_var'])
    out.delete(`${norm.name}.${p}`);
  out.set(`${fused}.weight`, { dtype: 'f32', shape: w.shape, data: weight });
  out.set(`${fused}.bias`, { dtype: 'f32', shape: [channels], data: shift });
}

export const foldBatchnorm: Pass = {
  name: 'fold-batchnorm',
  summary: 'fold inference batchnorm into the preceding conv or dense',
  changesResults: false,
  run(graph, _shapes, options) {
    const changed: PassChange[] = [];
    const skipped: PassSkip[] = [];
    const readers = readersOf(graph);
    const byName = new Map(graph.nodes.map((n) => [n.name, n]));
    const byLinear = new Map<string, Fold>();
    for (const norm of graph.nodes.filter((n) => n.op === 'batchnorm')) {
      const linear = byName.get(norm.inputs[0]!);
      let why: string | undefined;
      if (options.training) why = 'training uses batch statistics, which cannot be folded';
      else if (linear?.op !== 'conv' && linear?.op !== 'dense') {
        why = `reads \`${norm.inputs[0]}\` (${linear?.op ?? 'unknown'}), not a conv or dense`;
      } else if (useCount(graph, readers, linear.name) !== 1) {
        why = `\`${linear.name}\` has other readers, which need the unnormalised values`;
      }
      if (why !== undefined || !linear) {
        skipped.push({ node: norm.name, why: why ?? 'no input' });
        continue;
      }
      const fused = graph.outputs.includes(norm.name) ? norm.name : linear.name;
      byLinear.set(linear.name, { linear, norm, fused });
    }
    const alias = new Map<string, string>();
    const nodes: Node[] = [];
    const folded = new Set([...byLinear.values()].map((f) => f.norm.name));
    for (const node of graph.nodes) {
      const fold = byLinear.get(node.name);
      if (fold) {
        nodes.push({ ...node, name: fold.fused, attrs: { ...node.attrs, bias: true } });
        if (fold.fused !== fold.norm.name) alias.set(fold.norm.name, fold.fused);
        const renamed = fold.fused === node.name ? '' : ` (renamed from \`${node.name}\`)`;
        changed.push({
          node: fold.fused,
          what: `batchnorm \`${fold.norm.name}\` folded into this ${node.op}${renamed}`,
        });
      } else if (!folded.has(node.name)) {
        nodes.push(rewire(node, alias));
      }
    }
    const report = { pass: 'fold-batchnorm', changed, skipped, notes: [] };
    if (byLinear.size === 0) return { graph, report };
    const mapWeights = (weights: Weights): Weights => {
      const out = new Map(weights);
      for (const fold of byLinear.values()) foldValues(weights, fold, out);
      return out;
    };
    const outputs = graph.outputs.map((o) => alias.get(o) ?? o);
    return { graph: { ...graph, nodes, outputs }, report, mapWeights };
  },
};
