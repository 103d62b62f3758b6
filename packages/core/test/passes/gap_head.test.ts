import { describe, expect, it } from 'vitest';
import type { Graph, Tensor } from '../../src/index.js';
import { gapHead, modelStats, runPasses } from '../../src/index.js';
import { chain, node, shapesOf, structure, vgg16 } from './build.js';

describe('gap-head on VGG-16', () => {
  // fc6 before: 512*7*7 = 25,088 inputs -> 25,088 * 4,096 + 4,096 = 102,764,544 parameters.
  // fc6 after:  512 inputs              ->    512 * 4,096 + 4,096 =   2,101,248 parameters.
  // Drop: 102,764,544 - 2,101,248 = 100,663,296; the model: 138,357,544 -> 37,694,248.
  const before = vgg16();

  it('inserts global_avgpool before the flatten and reports the parameter drop', () => {
    const { graph, report } = gapHead.run(before, shapesOf(before), {});
    const at = before.nodes.findIndex((n) => n.name === 'flatten');
    const expected: Graph = {
      ...before,
      nodes: [
        ...before.nodes.slice(0, at),
        node('flatten_gap', 'global_avgpool', ['pool5']),
        node('flatten', 'flatten', ['flatten_gap']),
        ...before.nodes.slice(at + 1),
      ],
    };
    expect(structure(graph)).toEqual(structure(expected));
    expect(report.changed).toEqual([
      {
        node: 'fc6',
        what:
          'global_avgpool inserted before flatten `flatten`; in-features 25088 -> 512; ' +
          'params 102764544 -> 2101248 (100663296 fewer)',
      },
    ]);
    expect(report.notes[0]).toMatch(/needs retraining.*`fc6.weight`.*re-initialised/);
    expect(gapHead.changesResults).toBe(true);
  });

  it('gives the parameter totals a user would check by hand', () => {
    const result = runPasses(before, ['gap-head']);
    const stats = modelStats(result.graph, result.shapes);
    expect(stats.layers.find((l) => l.name === 'fc6')!.params).toBe(2_101_248);
    expect(stats.totalParams).toBe(37_694_248);
    expect(result.changesResults).toBe(true);
  });

  it("drops the replaced dense's weights and keeps the others", () => {
    const small = (shape: number[]): Tensor => ({ dtype: 'f32', shape, data: new Float32Array(1) });
    const weights = new Map([
      ['fc6.weight', small([4096, 25088])],
      ['fc6.bias', small([4096])],
      ['fc7.weight', small([4096, 4096])],
    ]);
    const mapped = gapHead.run(before, shapesOf(before), {}).mapWeights!(weights);
    expect([...mapped.keys()]).toEqual(['fc7.weight']);
  });
});

describe('gap-head leaves alone', () => {
  it('a head over a 1x1 map, and a flatten with other readers', () => {
    const oneByOne = chain(
      'r',
      ['x', ['N', 3, 4, 4]],
      [
        ['conv', 'conv', { channels: 8, kernel: 4 }],
        ['flat', 'flatten'],
        ['fc', 'dense', { units: 2 }],
      ],
    );
    const a = gapHead.run(oneByOne, shapesOf(oneByOne), {});
    expect(a.graph).toBe(oneByOne);
    expect(a.report.skipped).toEqual([
      { node: 'fc', why: 'the map is already 1x1; pooling it would change nothing' },
    ]);
    const shared: Graph = {
      ...chain(
        's',
        ['x', ['N', 3, 2, 2]],
        [
          ['conv', 'conv', { channels: 8, kernel: 1 }],
          ['flat', 'flatten'],
          ['fc', 'dense', { units: 2 }],
        ],
      ),
      outputs: ['fc', 'flat'],
    };
    const b = gapHead.run(shared, shapesOf(shared), {});
    expect(b.graph).toBe(shared);
    expect(b.report.skipped[0]!.why).toBe('flatten `flat` has other readers');
  });
});

describe('gap-head leaves raw and single-channel maps alone', () => {
  const skips = (graph: Graph) => {
    const result = gapHead.run(graph, shapesOf(graph), {});
    expect(result.graph).toBe(graph);
    expect(result.report.changed).toEqual([]);
    return result.report.skipped;
  };

  it('an MLP over the image input (mlp-fashion: [N, 1, 28, 28] flattened to 784)', () => {
    const mlp = chain(
      'mlp_fashion',
      ['image', ['N', 1, 28, 28]],
      [
        ['flatten', 'flatten'],
        ['hidden1', 'dense', { units: 256 }],
        ['logits', 'dense', { units: 10 }],
      ],
    );
    expect(skips(mlp)).toEqual([
      {
        node: 'hidden1',
        why:
          'flatten `flatten` reads the model input `image`: there are no learned feature maps ' +
          'to pool',
      },
    ]);
  });

  it('a pooled image with no conv before it, even with three channels', () => {
    const pooled = chain(
      'p',
      ['image', ['N', 3, 8, 8]],
      [
        ['pool', 'maxpool', { kernel: 2 }],
        ['relu', 'relu'],
        ['flat', 'flatten'],
        ['fc', 'dense', { units: 4 }],
      ],
    );
    expect(skips(pooled)).toEqual([
      {
        node: 'fc',
        why:
          'flatten `flat` reads `relu`, which has no conv or dense before it: there are no ' +
          'learned feature maps to pool',
      },
    ]);
  });

  it('a learned map with a single channel', () => {
    const single = chain(
      'one',
      ['image', ['N', 3, 8, 8]],
      [
        ['conv', 'conv', { channels: 1, kernel: 3 }],
        ['flat', 'flatten'],
        ['fc', 'dense', { units: 4 }],
      ],
    );
    expect(skips(single)).toEqual([
      { node: 'fc', why: 'the map has a single channel; pooling it would leave one feature' },
    ]);
  });
});
