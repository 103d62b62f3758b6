/**
 * Rebinds model input shapes: the same graph fed a tensor of another size. A fully
 * convolutional model (after `fc-to-conv` with `spatial`) checked at 384×384 instead of 224×224
 * returns a map of class scores, one per 224×224 window, and the checker says its shape.
 */
import { didYouMean } from '../diagnostics/suggest.js';
import type { Dim, Graph } from '../ir/types.js';

export function withInputShapes(
  graph: Graph,
  shapes: Readonly<Record<string, readonly Dim[]>>,
): Graph {
  const inputs = graph.nodes.filter((n) => n.op === 'input').map((n) => n.name);
  for (const name of Object.keys(shapes)) {
    if (!inputs.includes(name)) {
      const hint = didYouMean(name, inputs);
      throw new Error(
        `\`${name}\` is not an input of model \`${graph.name}\`${hint ? `; ${hint}` : ''}`,
      );
    }
  }
  const nodes = graph.nodes.map((n) => {
    const shape = n.op === 'input' ? shapes[n.name] : undefined;
    return shape ? { ...n, attrs: { ...n.attrs, shape: [...shape] } } : n;
  });
  return { ...graph, nodes };
}
