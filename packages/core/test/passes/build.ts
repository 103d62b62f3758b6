/** Graph builders for pass tests: nodes go through the same attribute resolution as the DSL. */
import { expect } from 'vitest';
import type { AttrValue, Graph, Node } from '../../src/index.js';
import { checkGraph, getOp, resolveAttrs } from '../../src/index.js';

export type Raw = Record<string, AttrValue>;

export function node(name: string, op: string, inputs: string[], raw: Raw = {}): Node {
  const def = getOp(op)!;
  const map = new Map(Object.entries(raw).map(([k, value]) => [k, { value }]));
  const { attrs, diagnostics } = resolveAttrs(def, map, { node: name });
  expect(diagnostics).toEqual([]);
  return { name, op, inputs, attrs };
}

/** A layer of a chain: name, op, attributes. Each reads the layer before it. */
export type Layer = readonly [name: string, op: string, raw?: Raw];

export function chain(
  name: string,
  input: readonly [string, readonly (number | string)[]],
  layers: readonly Layer[],
): Graph {
  const nodes: Node[] = [node(input[0], 'input', [], { shape: [...input[1]] })];
  for (const [n, op, raw] of layers) nodes.push(node(n, op, [nodes[nodes.length - 1]!.name], raw));
  return { name, nodes, outputs: [nodes[nodes.length - 1]!.name] };
}

/** What a structural comparison looks at: names, ops, inputs, attributes, outputs. */
export function structure(graph: Graph) {
  return {
    nodes: graph.nodes.map((n) => ({ name: n.name, op: n.op, inputs: n.inputs, attrs: n.attrs })),
    outputs: graph.outputs,
  };
}

export function shapesOf(graph: Graph) {
  const { shapes, diagnostics } = checkGraph(graph);
  expect(diagnostics).toEqual([]);
  return shapes;
}

/** VGG-16's convolutional body: 13 convs (3×3, pad 1) with ReLUs and 5 max pools. */
export function vggBody(): Layer[] {
  const layers: Layer[] = [];
  [
    [64, 2],
    [128, 2],
    [256, 3],
    [512, 3],
    [512, 3],
  ].forEach(([channels, n], b) => {
    for (let i = 1; i <= n!; i++) {
      layers.push([`conv${b + 1}_${i}`, 'conv', { channels: channels!, kernel: 3, pad: 1 }]);
      layers.push([`relu${b + 1}_${i}`, 'relu']);
    }
    layers.push([`pool${b + 1}`, 'maxpool', { kernel: 2 }]);
  });
  return layers;
}

export function vgg16(): Graph {
  return chain(
    'vgg16',
    ['image', ['N', 3, 224, 224]],
    [
      ...vggBody(),
      ['flatten', 'flatten'],
      ['fc6', 'dense', { units: 4096 }],
      ['relu6', 'relu'],
      ['drop6', 'dropout'],
      ['fc7', 'dense', { units: 4096 }],
      ['relu7', 'relu'],
      ['drop7', 'dropout'],
      ['fc8', 'dense', { units: 1000 }],
    ],
  );
}
