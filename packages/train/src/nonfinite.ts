/**
 * After a step went non-finite: runs that step again with every tensor as an output and names
 * the first one, in execution order, holding NaN or infinity. The forward pass runs first, so
 * a layer that overflowed is found before the gradients it poisoned.
 */
import type { Backend, Tensor, TrainingGraph, Weights } from '@kiln/core';
import { getOp } from '@kiln/core';

export async function findNonFinite(
  backend: Backend,
  tg: TrainingGraph,
  weights: Weights,
  feeds: Readonly<Record<string, Tensor>>,
): Promise<string> {
  const nodes = tg.graph.nodes.filter((n) => n.op !== 'input');
  const graph = { ...tg.graph, outputs: nodes.map((n) => n.name) };
  const out = await (await backend.compile(graph, weights)).run(feeds);
  for (const node of nodes) {
    const data = out[node.name]!.data;
    const at = data.findIndex((v) => !Number.isFinite(v));
    if (at < 0) continue;
    const layer = node.name.split('@')[0]!;
    const pass =
      getOp(node.op)?.category === 'training' && node.name.includes('@') ? 'backward' : 'forward';
    const what = Number.isNaN(data[at]!) ? 'NaN' : 'infinity';
    return `${what} first appears in layer \`${layer}\` (${pass} pass, tensor \`${node.name}\`, op ${node.op})`;
  }
  return 'no tensor of the step is non-finite when it is run again';
}
