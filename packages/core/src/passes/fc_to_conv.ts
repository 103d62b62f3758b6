/**
 * `fc-to-conv`: every dense layer becomes the convolution it already is.
 *
 * Patterns, walking the graph in order:
 * (a) `flatten` of a feature map [N, C, h, w] read only by a `dense` of `units` outputs becomes
 *     ONE "global" conv: channels = units, kernel [h, w], stride 1, no padding; the flatten is
 *     removed. The weight [units, C*h*w] is reinterpreted as [units, C, h, w] without moving a
 *     value. That is exact because NCHW flatten lays a sample out C first, then h, then w, which
 *     is the row-major order of a kernel [C, h, w]: feature c*h*w + i*w + j of the flattened
 *     vector meets weight column c*h*w + i*w + j, and the conv's only window meets kernel tap
 *     (c, i, j) at the same input value. Both sum the same products (in the same order on a
 *     naive kernel), plus the same bias. Pointwise ops between the flatten and the dense (relu,
 *     dropout, sigmoid, tanh, leaky_relu, gelu; torchvision's AlexNet has flatten, dropout,
 *     dense) act on each element alone, so they commute with the flatten: they move to the map.
 * (b) a `dense` reading a tensor that the pass already turned into a 1×1 map [N, K, 1, 1] (the
 *     output of a converted layer, possibly through channelwise ops: relu, dropout, sigmoid,
 *     tanh, leaky_relu, gelu, batchnorm, softmax) becomes a 1×1 conv with weight [units, K, 1, 1].
 *     A 1×1 conv on a 1×1 map computes sum_k W[u, k] x[k] + b[u]: the dense formula. The
 *     channelwise ops in between run on [N, K, 1, 1] unchanged; each treats axis 1 as the
 *     feature axis either way (a lifted softmax gets axis 1 written out, as -1 would now name w).
 * (c) a `dense` reading a 2-D model input [N, K] (an MLP): a `reshape [K, 1, 1]` is inserted
 *     after the input and the dense becomes a 1×1 conv, as in (b). We do this rather than skip:
 *     the reshape is exact (sample n's K values become the K channels of its 1×1 map, in order),
 *     so an MLP becomes a stack of 1×1 convs: the design's "FC is a 1×1 conv", plainly.
 *
 * Wherever a converted 1×1 map meets an op that is not channelwise (or is a model output), a
 * `flatten` brings it back to [N, K], so every output keeps its shape and values. With
 * `options.spatial` model outputs are left unflattened: the network is fully convolutional and a
 * larger input yields [N, classes, h', w'], one score vector per input window. A flatten inserted
 * before a model output carries a fresh name, so that output's name changes (the report says so):
 * the conv keeps the dense's name so that `fc6.weight` stays `fc6.weight`.
 *
 * Left alone (reported as skipped): a dense reading a flatten of a map whose h or w is symbolic
 * (no kernel size), a flatten with other readers (they still need the vector), a dense reading a
 * `reshape` (its order is not provably the NCHW flatten order), and a dense reading anything else.
 */
import type { Weights } from '../backend/types.js';
import { formatShape, isKnown } from '../ir/dims.js';
import type { Graph, Node, Shape } from '../ir/types.js';
import {
  NameSource,
  buildNode,
  readersOf,
  reshapeTensor,
  resolveAlias,
  rewire,
  useCount,
} from './graph_edit.js';
import type { Pass, PassChange, PassSkip } from './pass.js';

/** Elementwise ops of one input: they commute with flatten and with reshapes. */
const pointwise = new Set(['relu', 'dropout', 'sigmoid', 'tanh', 'leaky_relu', 'gelu']);

type Kernel = { readonly map: string; readonly c: number; readonly h: number; readonly w: number };

/** Ops that act on axis 1 alone, elementwise over the rest: a 1×1 map passes through them. */
const channelwise = new Set([...pointwise, 'batchnorm', 'softmax']);

function fcToConvRun(graph: Graph, shapes: ReadonlyMap<string, Shape>, spatial: boolean) {
  const readers = readersOf(graph);
  const names = new NameSource(graph);
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const nodes: Node[] = [];
  const changed: PassChange[] = [];
  const skipped: PassSkip[] = [];
  const notes: string[] = [];
  /** Tensors that were [N, K] and are now [N, K, 1, 1]. */
  const maps = new Set<string>();
  /** Tensors that were a flattened map and are now the map itself (the flatten moved down). */
  const unflattened = new Map<string, Kernel>();
  /** Removed flattens, and the map their readers read instead. */
  const alias = new Map<string, string>();
  const flattened = new Map<string, string>();
  const reshaped = new Map<string, string>();
  const kernels = new Map<string, readonly number[]>();

  const shapeNow = (t: string): Shape | undefined => {
    const s = shapes.get(t);
    return s && maps.has(t) ? [...s, 1, 1] : s;
  };
  /** The global kernel a flatten + dense would become, or why there is none. */
  const globalKernel = (flatten: Node): Kernel | { why: string } => {
    const map = flatten.inputs[0]!;
    const s = shapeNow(map);
    if (!s) return { why: `the shape of \`${map}\` is unknown` };
    if (s.length !== 4) {
      return { why: `flatten \`${flatten.name}\` reads ${formatShape(s)}, not a [N, C, h, w] map` };
    }
    const [, c, h, w] = s;
    if (!isKnown(c!) || !isKnown(h!) || !isKnown(w!)) {
      return {
        why:
          `flatten \`${flatten.name}\` reads ${formatShape(s)}: ` +
          'a symbolic size leaves the kernel unknown',
      };
    }
    return { map, c, h, w };
  };
  /** The pointwise ops from a flatten down to the dense that reads it, if that is all there is. */
  const pathToDense = (flatten: Node): { dense: Node; path: Node[] } | { why: string } => {
    const path: Node[] = [];
    for (let t = flatten.name; ;) {
      const next = readers.get(t)?.[0];
      if (useCount(graph, readers, t) !== 1 || !next) {
        return { why: `\`${t}\` has other readers that need the vector` };
      }
      if (next.op === 'dense') return { dense: next, path };
      if (!pointwise.has(next.op)) return { why: `\`${t}\` is read by ${next.op}, not a dense` };
      path.push(next);
      t = next.name;
    }
  };
  const flat = (t: string): string => {
    let f = flattened.get(t);
    if (f === undefined) {
      f = names.fresh(`${t}_flat`);
      nodes.push(buildNode(f, 'flatten', [t], {}));
      flattened.set(t, f);
      changed.push({ node: f, what: `inserted: flatten of \`${t}\` back to [N, K]` });
    }
    return f;
  };
  const toConv = (dense: Node, input: string, k: Kernel, what: string): Node => {
    const units = dense.attrs['units'] as number;
    const shape = [units, k.c, k.h, k.w];
    kernels.set(dense.name, shape);
    changed.push({
      node: dense.name,
      what: `${what}; weight [${units}, ${k.c * k.h * k.w}] -> [${shape.join(', ')}]`,
    });
    maps.add(dense.name);
    return buildNode(
      dense.name,
      'conv',
      [resolveAlias(alias, input)],
      { channels: units, kernel: [k.h, k.w], bias: dense.attrs['bias'] as boolean },
      dense,
    );
  };
  const convertDense = (dense: Node): Node | undefined => {
    const x = dense.inputs[0]!;
    const from = byName.get(x);
    const s = shapes.get(x);
    const k = unflattened.get(x);
    if (k) {
      const what = `dense -> ${k.h}x${k.w} global conv (flatten removed)`;
      return toConv(dense, x, k, what);
    }
    if (maps.has(x) && typeof s?.[1] === 'number') {
      return toConv(dense, x, { map: x, c: s[1], h: 1, w: 1 }, 'dense -> 1x1 conv');
    }
    if (from?.op === 'input' && s?.length === 2 && isKnown(s[1]!)) {
      let r = reshaped.get(x);
      if (r === undefined) {
        r = names.fresh(`${x}_map`);
        nodes.push(buildNode(r, 'reshape', [x], { shape: [s[1], 1, 1] }));
        reshaped.set(x, r);
        changed.push({
          node: r,
          what: `inserted: reshape of input \`${x}\` to [N, ${s[1]}, 1, 1]`,
        });
      }
      return toConv(dense, r, { map: r, c: s[1], h: 1, w: 1 }, 'dense -> 1x1 conv');
    }
    let why =
      `reads \`${x}\` (${from?.op ?? 'unknown'}), ` +
      'not a flattened map, a converted layer or a model input';
    if (from?.op === 'reshape') {
      why = `reads reshape \`${x}\`, whose element order is not provably the NCHW flatten order`;
    } else if (from?.op === 'flatten') {
      const kernel = globalKernel(from);
      const path = pathToDense(from);
      why = 'why' in kernel ? kernel.why : 'why' in path ? path.why : why;
    }
    skipped.push({ node: dense.name, why });
    return undefined;
  };

  for (const node of graph.nodes) {
    if (node.op === 'flatten') {
      const kernel = globalKernel(node);
      const head = pathToDense(node);
      if (!('why' in kernel) && !('why' in head)) {
        alias.set(node.name, kernel.map);
        for (const t of [node, ...head.path]) unflattened.set(t.name, kernel);
        continue;
      }
      nodes.push(node); // a flatten of a 1×1 map already brings it back to [N, K]
      continue;
    }
    const x = node.inputs[0];
    if (unflattened.has(node.name)) {
      nodes.push(rewire(node, alias)); // a pointwise op moved above the removed flatten
      continue;
    }
    if (node.op === 'dense') {
      const conv = convertDense(node);
      if (conv) {
        nodes.push(conv);
        continue;
      }
    } else if (channelwise.has(node.op) && x !== undefined && maps.has(x)) {
      nodes.push(node.op === 'softmax' ? { ...node, attrs: { ...node.attrs, axis: 1 } } : node);
      maps.add(node.name);
      continue;
    }
    nodes.push({ ...node, inputs: node.inputs.map((i) => (maps.has(i) ? flat(i) : i)) });
  }
  const outputs = graph.outputs.map((o) => {
    if (!maps.has(o)) return o;
    if (spatial) {
      notes.push(`output \`${o}\` stays a map [N, K, h, w] (spatial mode)`);
      return o;
    }
    const f = flat(o);
    notes.push(`output \`${o}\` is now \`${f}\`, its flatten back to [N, K]`);
    return f;
  });
  return { graph: { ...graph, nodes, outputs }, changed, skipped, notes, kernels };
}

export const fcToConv: Pass = {
  name: 'fc-to-conv',
  summary: 'rewrite dense layers as global and 1x1 convolutions',
  changesResults: false,
  run(graph, shapes, options) {
    const { kernels, changed, skipped, notes, ...rest } = fcToConvRun(
      graph,
      shapes,
      options.spatial === true,
    );
    const mapWeights = (weights: Weights): Weights => {
      const out = new Map(weights);
      for (const [node, shape] of kernels) {
        const name = `${node}.weight`;
        const w = weights.get(name);
        if (w) out.set(name, reshapeTensor(w, shape, name));
      }
      return out;
    };
    return {
      graph: rest.graph,
      report: { pass: 'fc-to-conv', changed, skipped, notes },
      ...(kernels.size ? { mapWeights } : {}),
    };
  },
};
