import { describe, expect, it } from 'vitest';
import type { Graph, Tensor } from '../../src/index.js';
import { checkGraph, fcToConv, modelStats, runPasses, withInputShapes } from '../../src/index.js';
import { chain, node, shapesOf, structure, vgg16 } from './build.js';

const run = (graph: Graph, spatial = false) => fcToConv.run(graph, shapesOf(graph), { spatial });

describe('fc-to-conv on VGG-16', () => {
  const before = vgg16();

  it('turns fc6 into a 7x7 global conv and fc7, fc8 into 1x1 convs, then flattens', () => {
    const { graph, report } = run(before);
    const body = before.nodes.slice(
      0,
      before.nodes.findIndex((n) => n.name === 'flatten'),
    );
    const expected: Graph = {
      name: 'vgg16',
      nodes: [
        ...body,
        node('fc6', 'conv', ['pool5'], { channels: 4096, kernel: 7 }),
        node('relu6', 'relu', ['fc6']),
        node('drop6', 'dropout', ['relu6']),
        node('fc7', 'conv', ['drop6'], { channels: 4096, kernel: 1 }),
        node('relu7', 'relu', ['fc7']),
        node('drop7', 'dropout', ['relu7']),
        node('fc8', 'conv', ['drop7'], { channels: 1000, kernel: 1 }),
        node('fc8_flat', 'flatten', ['fc8']),
      ],
      outputs: ['fc8_flat'],
    };
    expect(structure(graph)).toEqual(structure(expected));
    expect(shapesOf(graph).get('fc8_flat')).toEqual(['N', 1000]);
    expect(shapesOf(graph).get('fc6')).toEqual(['N', 4096, 1, 1]);
    expect(report.changed.map((c) => c.node)).toEqual(['fc6', 'fc7', 'fc8', 'fc8_flat']);
    expect(report.changed[0]!.what).toContain('[4096, 25088] -> [4096, 512, 7, 7]');
    expect(report.skipped).toEqual([]);
    expect(report.notes.join()).toContain('`fc8` is now `fc8_flat`');
  });

  it('in spatial mode leaves the score map as output; at 384x384 it is 6x6', () => {
    const { graph } = run(before, true);
    expect(graph.outputs).toEqual(['fc8']);
    expect(graph.nodes.some((n) => n.op === 'flatten')).toBe(false);
    expect(shapesOf(graph).get('fc8')).toEqual(['N', 1000, 1, 1]);
    // (384 / 32 = 12) - 7 + 1 = 6 windows of 224x224 along each axis, 32 pixels apart.
    const large = withInputShapes(graph, { image: [1, 3, 384, 384] });
    expect(shapesOf(large).get('fc8')).toEqual([1, 1000, 6, 6]);
    // The original model cannot reuse its weights there: fc6 would need 12*12*512 = 73728
    // inputs instead of 7*7*512 = 25088.
    const original = withInputShapes(before, { image: [1, 3, 384, 384] });
    const fc6 = modelStats(original, shapesOf(original)).layers.find((l) => l.name === 'fc6')!;
    expect(fc6.params).toBe(73728 * 4096 + 4096);
  });

  it('keeps parameter counts: a reinterpretation adds and drops nothing', () => {
    const result = runPasses(before, ['fc-to-conv']);
    const after = modelStats(result.graph, result.shapes);
    // torchvision.models.vgg16(): 138,357,544 parameters, now all in convolutions.
    expect(after.totalParams).toBe(138_357_544);
    expect(after.convParams).toBe(138_357_544);
    expect(after.denseParams).toBe(0);
  });
});

describe('fc-to-conv on LeNet-5', () => {
  const before = chain(
    'lenet5',
    ['image', ['N', 1, 28, 28]],
    [
      ['c1', 'conv', { channels: 6, kernel: 5, pad: 2 }],
      ['r1', 'relu'],
      ['s2', 'maxpool', { kernel: 2 }],
      ['c3', 'conv', { channels: 16, kernel: 5 }],
      ['r3', 'relu'],
      ['s4', 'maxpool', { kernel: 2 }],
      ['flat', 'flatten'],
      ['f5', 'dense', { units: 120 }],
      ['r5', 'tanh'],
      ['f6', 'dense', { units: 84 }],
      ['r6', 'relu'],
      ['out', 'dense', { units: 10 }],
      ['prob', 'softmax'],
    ],
  );

  it('gives a 5x5 conv on the 16x5x5 map, 1x1 convs after it, softmax on axis 1', () => {
    const { graph } = run(before);
    const expected: Graph = {
      name: 'lenet5',
      nodes: [
        ...before.nodes.slice(0, 7),
        node('f5', 'conv', ['s4'], { channels: 120, kernel: 5 }),
        node('r5', 'tanh', ['f5']),
        node('f6', 'conv', ['r5'], { channels: 84, kernel: 1 }),
        node('r6', 'relu', ['f6']),
        node('out', 'conv', ['r6'], { channels: 10, kernel: 1 }),
        node('prob', 'softmax', ['out'], { axis: 1 }),
        node('prob_flat', 'flatten', ['prob']),
      ],
      outputs: ['prob_flat'],
    };
    expect(structure(graph)).toEqual(structure(expected));
    expect(shapesOf(graph).get('prob_flat')).toEqual(['N', 10]);
  });

  it('reshapes weights without moving values, and leaves the rest alone', () => {
    const tensor = (shape: number[]): Tensor => ({
      dtype: 'f32',
      shape,
      data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i),
    });
    const weights = new Map([
      ['f5.weight', tensor([120, 400])],
      ['f5.bias', tensor([120])],
      ['f6.weight', tensor([84, 120])],
      ['c1.weight', tensor([6, 1, 5, 5])],
    ]);
    const mapped = run(before).mapWeights!(weights);
    expect(mapped.get('f5.weight')!.shape).toEqual([120, 16, 5, 5]);
    expect(mapped.get('f5.weight')!.data).toBe(weights.get('f5.weight')!.data);
    expect(mapped.get('f6.weight')!.shape).toEqual([84, 120, 1, 1]);
    expect(mapped.get('f5.bias')).toBe(weights.get('f5.bias'));
    expect(mapped.get('c1.weight')).toBe(weights.get('c1.weight'));
    const wrong = new Map([['f5.weight', tensor([120, 399])]]);
    expect(() => run(before).mapWeights!(wrong)).toThrow(/399.*needs 400|47880/);
  });
});

describe('fc-to-conv on an MLP', () => {
  it('reshapes the input to a 1x1 map and makes every dense a 1x1 conv', () => {
    const before = chain(
      'mlp',
      ['x', ['N', 784]],
      [
        ['fc1', 'dense', { units: 128 }],
        ['a1', 'relu'],
        ['fc2', 'dense', { units: 64, bias: false }],
        ['bn2', 'batchnorm'],
        ['a2', 'sigmoid'],
        ['fc3', 'dense', { units: 10 }],
      ],
    );
    const { graph, report } = run(before);
    const expected: Graph = {
      name: 'mlp',
      nodes: [
        before.nodes[0]!,
        node('x_map', 'reshape', ['x'], { shape: [784, 1, 1] }),
        node('fc1', 'conv', ['x_map'], { channels: 128, kernel: 1 }),
        node('a1', 'relu', ['fc1']),
        node('fc2', 'conv', ['a1'], { channels: 64, kernel: 1, bias: false }),
        node('bn2', 'batchnorm', ['fc2']),
        node('a2', 'sigmoid', ['bn2']),
        node('fc3', 'conv', ['a2'], { channels: 10, kernel: 1 }),
        node('fc3_flat', 'flatten', ['fc3']),
      ],
      outputs: ['fc3_flat'],
    };
    expect(structure(graph)).toEqual(structure(expected));
    expect(report.changed.map((c) => c.node)).toEqual(['x_map', 'fc1', 'fc2', 'fc3', 'fc3_flat']);
  });
});

describe("fc-to-conv on AlexNet's head (torchvision order: flatten, dropout, dense)", () => {
  it('moves the dropout onto the 256x6x6 map and makes fc6 a 6x6 conv', () => {
    const before = chain(
      'alexnet',
      ['features', ['N', 256, 13, 13]],
      [
        ['pool5', 'maxpool', { kernel: 3, stride: 2 }],
        ['flatten', 'flatten'],
        ['drop6', 'dropout'],
        ['fc6', 'dense', { units: 4096 }],
        ['relu6', 'relu'],
        ['drop7', 'dropout'],
        ['fc7', 'dense', { units: 4096 }],
        ['relu7', 'relu'],
        ['fc8', 'dense', { units: 1000 }],
      ],
    );
    const { graph, report } = run(before);
    const expected: Graph = {
      name: 'alexnet',
      nodes: [
        ...before.nodes.slice(0, 2),
        node('drop6', 'dropout', ['pool5']),
        node('fc6', 'conv', ['drop6'], { channels: 4096, kernel: 6 }),
        node('relu6', 'relu', ['fc6']),
        node('drop7', 'dropout', ['relu6']),
        node('fc7', 'conv', ['drop7'], { channels: 4096, kernel: 1 }),
        node('relu7', 'relu', ['fc7']),
        node('fc8', 'conv', ['relu7'], { channels: 1000, kernel: 1 }),
        node('fc8_flat', 'flatten', ['fc8']),
      ],
      outputs: ['fc8_flat'],
    };
    expect(structure(graph)).toEqual(structure(expected));
    expect(report.changed[0]!.what).toContain('[4096, 9216] -> [4096, 256, 6, 6]');
  });
});

describe('fc-to-conv on a map that is not square', () => {
  it('gives a kernel [h, w], not [w, h]', () => {
    const before = chain(
      'wide',
      ['x', ['N', 2, 3, 5]],
      [
        ['flat', 'flatten'],
        ['fc', 'dense', { units: 4, bias: false }],
      ],
    );
    const { graph } = run(before);
    const expected = chain(
      'wide',
      ['x', ['N', 2, 3, 5]],
      [
        ['fc', 'conv', { channels: 4, kernel: [3, 5], bias: false }],
        ['fc_flat', 'flatten'],
      ],
    );
    expect(structure(graph)).toEqual(structure(expected));
  });
});

describe('fc-to-conv leaves alone what it cannot prove', () => {
  it('a flatten of a map with symbolic h, w (no kernel size)', () => {
    const graph = chain(
      'fcn',
      ['x', ['N', 16, 'H', 'W']],
      [
        ['flat', 'flatten'],
        ['fc', 'dense', { units: 10 }],
      ],
    );
    // The checker rejects the dense (its input size is symbolic); the pass still must not guess.
    const { shapes } = checkGraph(graph);
    const { graph: after, report } = fcToConv.run(graph, shapes, {});
    expect(structure(after)).toEqual(structure(graph));
    expect(report.skipped).toEqual([
      {
        node: 'fc',
        why: 'flatten `flat` reads [N, 16, H, W]: a symbolic size leaves the kernel unknown',
      },
    ]);
  });

  it('a flatten with another reader', () => {
    const base = chain(
      'two',
      ['x', ['N', 4, 3, 3]],
      [
        ['flat', 'flatten'],
        ['fc', 'dense', { units: 5 }],
      ],
    );
    const graph: Graph = { ...base, outputs: ['fc', 'flat'] };
    const { graph: after, report } = run(graph);
    expect(structure(after)).toEqual(structure(graph));
    expect(report.skipped).toEqual([
      { node: 'fc', why: '`flat` has other readers that need the vector' },
    ]);
  });

  it('a dense reading a reshape', () => {
    const graph = chain(
      'r',
      ['x', ['N', 4, 2, 2]],
      [
        ['r', 'reshape', { shape: [16] }],
        ['fc', 'dense', { units: 3 }],
      ],
    );
    const { graph: after, report, mapWeights } = run(graph);
    expect(structure(after)).toEqual(structure(graph));
    expect(mapWeights).toBeUndefined();
    expect(report.skipped[0]!.why).toMatch(/reshape `r`.*not provably the NCHW flatten order/);
  });

  it('a dense reading a vector that is neither converted nor an input', () => {
    const graph: Graph = {
      name: 'join',
      nodes: [
        node('a', 'input', [], { shape: ['N', 8] }),
        node('b', 'input', [], { shape: ['N', 8] }),
        node('sum', 'add', ['a', 'b']),
        node('fc', 'dense', ['sum'], { units: 2 }),
      ],
      outputs: ['fc'],
    };
    const { graph: after, report } = run(graph);
    expect(structure(after)).toEqual(structure(graph));
    expect(report.skipped).toEqual([
      {
        node: 'fc',
        why: 'reads `sum` (add), not a flattened map, a converted layer or a model input',
      },
    ]);
  });

  it('a model without dense layers', () => {
    const graph = chain(
      'convs',
      ['x', ['N', 3, 8, 8]],
      [['c', 'conv', { channels: 4, kernel: 3 }]],
    );
    const result = run(graph);
    expect(result.graph.nodes).toEqual(graph.nodes);
    expect(result.report.changed).toEqual([]);
  });
});

describe('fc-to-conv at the boundary with non-channelwise ops', () => {
  it('flattens a converted vector once before every op that needs [N, K]', () => {
    const graph: Graph = {
      name: 'branch',
      nodes: [
        node('x', 'input', [], { shape: ['N', 6] }),
        node('fc1', 'dense', ['x'], { units: 4 }),
        node('fc2', 'dense', ['fc1'], { units: 4 }),
        node('sum', 'add', ['fc1', 'fc2']),
      ],
      outputs: ['sum'],
    };
    const { graph: after } = run(graph);
    expect(structure(after).nodes.map((n) => [n.name, n.op, n.inputs])).toEqual([
      ['x', 'input', []],
      ['x_map', 'reshape', ['x']],
      ['fc1', 'conv', ['x_map']],
      ['fc2', 'conv', ['fc1']],
      ['fc1_flat', 'flatten', ['fc1']],
      ['fc2_flat', 'flatten', ['fc2']],
      ['sum', 'add', ['fc1_flat', 'fc2_flat']],
    ]);
    expect(after.outputs).toEqual(['sum']);
    expect(shapesOf(after).get('sum')).toEqual(['N', 4]);
  });
});
