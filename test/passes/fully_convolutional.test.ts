import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../../packages/backend-cpu/src/index.js';
import type { Tensor } from '../../packages/core/src/index.js';
import { Rng, runPasses, withInputShapes } from '../../packages/core/src/index.js';
import { chain } from '../../packages/core/test/passes/build.js';
import { randomWeights } from './random_weights.js';

// A 16x16 classifier whose body downsamples by exactly 4 without padding (a padded conv would
// see zeros at a crop's border but real pixels inside the larger image, and the claim would fail
// for reasons unrelated to the rewrite): 16 -> 8 (stride-2 conv) -> 8 (1x1 conv) -> 4 (pool).
const net = chain(
  'fcn',
  ['image', ['N', 3, 16, 16]],
  [
    ['c1', 'conv', { channels: 4, kernel: 2, stride: 2 }],
    ['r1', 'relu'],
    ['c2', 'conv', { channels: 8, kernel: 1 }],
    ['r2', 'relu'],
    ['p2', 'maxpool', { kernel: 2 }],
    ['flat', 'flatten'],
    ['fc1', 'dense', { units: 6 }],
    ['a1', 'relu'],
    ['fc2', 'dense', { units: 5 }],
  ],
);

function image(size: number): Tensor {
  const rng = Rng.forTensor(21, 'image');
  const data = Float32Array.from({ length: 3 * size * size }, () => 2 * rng.uniform() - 1);
  return { dtype: 'f32', shape: [1, 3, size, size], data };
}

/** The 16x16 windows of a [1, 3, 24, 24] image at (4i, 4j), as a batch of 9. */
function crops(big: Tensor): Tensor {
  const data = new Float32Array(9 * 3 * 16 * 16);
  let at = 0;
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < 16; y++)
          for (let x = 0; x < 16; x++) {
            data[at++] = big.data[(c * 24 + 4 * i + y) * 24 + 4 * j + x]!;
          }
  return { dtype: 'f32', shape: [9, 3, 16, 16], data };
}

describe('fully convolutional after fc-to-conv (spatial)', () => {
  it('scores every 16x16 window of a 24x24 image in one pass', async () => {
    const weights = randomWeights(net, 9);
    const rewritten = runPasses(net, ['fc-to-conv'], weights, { spatial: true });
    const large = withInputShapes(rewritten.graph, { image: [1, 3, 24, 24] });
    const big = image(24);
    const session = await cpuBackend.compile(large, rewritten.weights!);
    const scores = (await session.run({ image: big }))['fc2']!;
    expect(scores.shape).toEqual([1, 5, 3, 3]);

    const original = await cpuBackend.compile(net, weights);
    const reference = (await original.run({ image: crops(big) }))['fc2']!;
    expect(reference.shape).toEqual([9, 5]);
    let scale = 0;
    let worst = 0;
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < 5; k++) {
          const want = reference.data[(i * 3 + j) * 5 + k]!;
          const got = scores.data[(k * 3 + i) * 3 + j]!;
          scale = Math.max(scale, Math.abs(want));
          worst = Math.max(worst, Math.abs(want - got));
        }
    expect(scale).toBeGreaterThan(0.01); // the scores are not all zero
    expect(worst / scale).toBeLessThan(1e-5);
    // Cells differ from one another: the map is not one score vector repeated.
    expect(Math.abs(scores.data[0]! - scores.data[8]!)).toBeGreaterThan(1e-4);
  });
});
