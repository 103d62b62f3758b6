import { describe, expect, it } from 'vitest';
import type { Graph, Node } from '../src/index.js';
import { checkGraph, modelStats, resolveAttrs, getOp } from '../src/index.js';

/** Builds nodes through the same attribute resolution the DSL uses. */
function node(name: string, op: string, inputs: string[], raw: Record<string, unknown> = {}): Node {
  const def = getOp(op)!;
  const map = new Map(Object.entries(raw).map(([k, v]) => [k, { value: v as never }]));
  const { attrs, diagnostics } = resolveAttrs(def, map, { node: name });
  expect(diagnostics).toEqual([]);
  return { name, op, inputs, attrs };
}

function vgg16(): Graph {
  const nodes: Node[] = [node('image', 'input', [], { shape: ['N', 3, 224, 224] })];
  let prev = 'image';
  let k = 0;
  const push = (op: string, raw: Record<string, unknown> = {}) => {
    const name = `${op}${++k}`;
    nodes.push(node(name, op, [prev], raw));
    prev = name;
  };
  for (const [ch, n] of [
    [64, 2],
    [128, 2],
    [256, 3],
    [512, 3],
    [512, 3],
  ] as const) {
    for (let i = 0; i < n; i++) {
      push('conv', { channels: ch, kernel: 3, pad: 1 });
      push('relu');
    }
    push('maxpool', { kernel: 2 });
  }
  push('flatten');
  for (const units of [4096, 4096]) {
    push('dense', { units });
    push('relu');
    push('dropout');
  }
  push('dense', { units: 1000 });
  return { name: 'vgg16', nodes, outputs: [prev] };
}

describe('VGG-16 built in code', () => {
  it('matches torchvision parameter and MAC counts', () => {
    const graph = vgg16();
    const { shapes, diagnostics } = checkGraph(graph);
    expect(diagnostics).toEqual([]);
    const stats = modelStats(graph, shapes);
    // torchvision.models.vgg16(): 138,357,544 parameters; FC layers 123,642,856.
    expect(stats.totalParams).toBe(138_357_544);
    expect(stats.denseParams).toBe(123_642_856);
    expect(stats.totalMacs).toBe(15_470_264_320);
    expect(shapes.get(graph.outputs[0]!)).toEqual(['N', 1000]);
  });
});
