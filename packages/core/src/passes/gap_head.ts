/**
 * `gap-head`: head surgery. A classifier head `flatten` + `dense` over a C×h×w map becomes
 * `global_avgpool` + `flatten` + `dense`, as in ResNet and GoogLeNet: the dense then reads C
 * features instead of C·h·w, which removes most of a classic net's parameters (VGG-16's fc6
 * alone holds 102.8M of its 138.4M).
 *
 * Pattern: `flatten` of a map [N, C, h, w] with known C, h, w and h·w > 1, read only by a `dense`.
 * Preconditions: the flatten has no other reader (they would see the pooled vector instead).
 * The map is a learned feature map: a conv or dense lies between it and the model's inputs. A
 * flatten of the raw input (an MLP over pixels) is left alone: pooling would hand the dense one
 * mean intensity per input channel instead of the image. A 1×1 map is left alone (pooling it
 * would change nothing), and so is a single-channel map (the dense would see one feature).
 * This pass CHANGES RESULTS (`changesResults`): a mean over positions is not a weighted sum over
 * them, and the dense's weight changes shape, so its old values do not fit. `mapWeights` drops
 * that dense's weight and bias; they must be re-initialised and the model retrained.
 */
import type { Weights } from '../backend/types.js';
import { formatShape, isKnown } from '../ir/dims.js';
import type { Node, Shape } from '../ir/types.js';
import { getOp } from '../ops/registry.js';
import { NameSource, buildNode, readersOf, useCount } from './graph_edit.js';
import type { Pass, PassChange, PassSkip } from './pass.js';

const denseParams = (inFeatures: number, dense: Node): number => {
  const units = dense.attrs['units'] as number;
  return inFeatures * units + (dense.attrs['bias'] ? units : 0);
};

/** The known C, h, w of the map a head flattens, or why it does not qualify. */
function headMap(
  flatten: Node,
  s: Shape | undefined,
): { c: number; h: number; w: number } | { why: string } {
  const [, c, h, w] = s ?? [];
  if (!s || s.length !== 4 || !isKnown(c!) || !isKnown(h!) || !isKnown(w!)) {
    const shown = s ? formatShape(s) : 'an unknown shape';
    return { why: `flatten \`${flatten.name}\` reads ${shown}, not a known [N, C, h, w] map` };
  }
  if (h * w === 1) return { why: 'the map is already 1x1; pooling it would change nothing' };
  if (c === 1) return { why: 'the map has a single channel; pooling it would leave one feature' };
  return { c, h, w };
}

/** Whether a conv or dense computes `name` from the model's inputs, directly or not. */
function learned(
  byName: ReadonlyMap<string, Node>,
  name: string,
  seen = new Set<string>(),
): boolean {
  if (seen.has(name)) return false;
  seen.add(name);
  const node = byName.get(name);
  if (!node) return false;
  if (getOp(node.op)?.category === 'linear') return true;
  return node.inputs.some((i) => learned(byName, i, seen));
}

/** Why the map a flatten reads holds no learned features, or undefined when it does. */
function rawMap(byName: ReadonlyMap<string, Node>, flatten: Node): string | undefined {
  const map = flatten.inputs[0]!;
  if (learned(byName, map)) return undefined;
  const source =
    byName.get(map)?.op === 'input'
      ? `the model input \`${map}\``
      : `\`${map}\`, which has no conv or dense before it`;
  return `flatten \`${flatten.name}\` reads ${source}: there are no learned feature maps to pool`;
}

export const gapHead: Pass = {
  name: 'gap-head',
  summary: 'replace a flatten + dense head with global average pooling (needs retraining)',
  changesResults: true,
  run(graph, shapes) {
    const changed: PassChange[] = [];
    const skipped: PassSkip[] = [];
    const notes: string[] = [];
    const readers = readersOf(graph);
    const names = new NameSource(graph);
    const pooled = new Map<string, string>(); // flatten name -> its new global_avgpool
    const heads: string[] = [];
    const byName = new Map(graph.nodes.map((n) => [n.name, n]));
    for (const flatten of graph.nodes.filter((n) => n.op === 'flatten')) {
      const dense = readers.get(flatten.name)?.find((r) => r.op === 'dense');
      if (!dense) continue;
      const raw = rawMap(byName, flatten);
      const map = raw ? { why: raw } : headMap(flatten, shapes.get(flatten.inputs[0]!));
      if ('why' in map || useCount(graph, readers, flatten.name) !== 1) {
        const why = 'why' in map ? map.why : `flatten \`${flatten.name}\` has other readers`;
        skipped.push({ node: dense.name, why });
        continue;
      }
      const { c, h, w } = map;
      pooled.set(flatten.name, names.fresh(`${flatten.name}_gap`));
      heads.push(dense.name);
      const before = denseParams(c * h * w, dense);
      const after = denseParams(c, dense);
      changed.push({
        node: dense.name,
        what:
          `global_avgpool inserted before flatten \`${flatten.name}\`; in-features ` +
          `${c * h * w} -> ${c}; params ${before} -> ${after} (${before - after} fewer)`,
      });
      notes.push(
        `\`${dense.name}\` has ${before - after} fewer parameters (${before} -> ${after}); ` +
          `the model needs retraining: \`${dense.name}.weight\` and \`${dense.name}.bias\` ` +
          'are dropped and must be re-initialised',
      );
    }
    const report = { pass: 'gap-head', changed, skipped, notes };
    if (pooled.size === 0) return { graph, report };
    const nodes: Node[] = [];
    for (const node of graph.nodes) {
      const gap = pooled.get(node.name);
      if (gap === undefined) {
        nodes.push(node);
        continue;
      }
      nodes.push(buildNode(gap, 'global_avgpool', node.inputs, {}, node));
      nodes.push({ ...node, inputs: [gap] });
    }
    const mapWeights = (weights: Weights): Weights => {
      const out = new Map(weights);
      for (const d of heads) for (const p of ['weight', 'bias']) out.delete(`${d}.${p}`);
      return out;
    };
    return { graph: { ...graph, nodes }, report, mapWeights };
  },
};
