/**
 * `Session.updateWeights` on every backend: a session compiled with weights A and then given
 * weights B computes what a session compiled with B computes (bit for bit on one backend: the
 * same kernels in the same order), at a shape planned before the update and at a new one; a
 * training graph's backward nodes (which read their forward node's weights through `of`) follow
 * the update too; and an update with an unknown name or another shape is refused, naming it,
 * leaving the session as it was.
 */
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../../packages/backend-cpu/src/index.js';
import { wasmBackend } from '../../packages/backend-wasm/src/index.js';
import type {
  Backend,
  DiagnosticError,
  Graph,
  Tensor,
  Weights,
} from '../../packages/core/src/index.js';
import { buildTrainingGraph, hasErrors } from '../../packages/core/src/index.js';
import { compile } from '../../packages/dsl/src/index.js';
import { randomWeights } from '../passes/random_weights.js';
import { seededInputs } from '../wasm/models.js';

function model(source: string): Graph {
  const result = compile(source, 'test.kiln');
  if (hasErrors(result.diagnostics) || !result.graph) throw new Error('bad test model');
  return result.graph;
}

const net = model(`model net {
  input x: f32[N, 2, 8, 8]
  c1 = conv 4 kernel=3 pad=1 relu
  bn = batchnorm
  p1 = maxpool 2
  flat = flatten
  fc1 = dense 6 tanh
  fc2 = dense 3
}
`);

const backends: Backend[] = [cpuBackend, wasmBackend];

async function outputs(backend: Backend, graph: Graph, weights: Weights, batch: number) {
  return (await backend.compile(graph, weights)).run(seededInputs(graph, batch));
}

describe.each(backends.map((b) => [b.name, b] as const))(
  '%s sessions: updateWeights',
  (_, backend) => {
    it('run with the new weights, at a planned shape and at a new one', async () => {
      const a = randomWeights(net, 1);
      const b = randomWeights(net, 2);
      const session = await backend.compile(net, a);
      const before = (await session.run(seededInputs(net, 2)))['fc2']!;
      await session.updateWeights(b);
      for (const batch of [2, 3]) {
        const got = (await session.run(seededInputs(net, batch)))['fc2']!;
        const want = (await outputs(backend, net, b, batch))['fc2']!;
        expect(got.data).toEqual(want.data);
      }
      // The update changed something a reader can see.
      expect((await session.run(seededInputs(net, 2)))['fc2']!.data).not.toEqual(before.data);
    });

    it('take a partial update: only the named weights change', async () => {
      const a = randomWeights(net, 1);
      const b = randomWeights(net, 2);
      const session = await backend.compile(net, a);
      await session.updateWeights(new Map([['fc1.weight', b.get('fc1.weight')!]]));
      const mixed = new Map(a);
      mixed.set('fc1.weight', b.get('fc1.weight')!);
      const got = (await session.run(seededInputs(net, 2)))['fc2']!;
      expect(got.data).toEqual((await outputs(backend, net, mixed, 2))['fc2']!.data);
    });

    it('reach backward nodes that read a forward node’s weights', async () => {
      const tg = buildTrainingGraph(net, { kind: 'mse_loss', prediction: 'fc2' });
      const a = randomWeights(net, 1);
      const b = randomWeights(net, 2);
      const feeds = { ...seededInputs(net, 2), [tg.target]: target(2) };
      const session = await backend.compile(tg.graph, a);
      await session.updateWeights(b);
      const got = await session.run(feeds);
      const want = await (await backend.compile(tg.graph, b)).run(feeds);
      for (const g of tg.paramGrads.values()) expect(got[g]!.data, g).toEqual(want[g]!.data);
    });

    it('refuse an unknown weight or another shape, naming it, and keep the old weights', async () => {
      const a = randomWeights(net, 1);
      const session = await backend.compile(net, a);
      const f32 = (shape: number[]): Tensor => ({
        dtype: 'f32',
        shape,
        data: new Float32Array(shape.reduce((x, y) => x * y, 1)),
      });
      const refusal = async (update: Map<string, Tensor>) => {
        try {
          await session.updateWeights(update);
        } catch (e) {
          return (e as DiagnosticError).diagnostics.map((d) => d.message);
        }
        throw new Error('expected a refusal');
      };
      expect(await refusal(new Map([['fc3.weight', f32([3, 6])]]))).toEqual([
        'cannot update weight `fc3.weight`: the session has no such weight',
      ]);
      expect(
        await refusal(
          new Map([
            ['fc1.bias', f32([6])],
            ['fc2.weight', f32([6, 3])],
          ]),
        ),
      ).toEqual([
        'cannot update weight `fc2.weight` [3, 6] with a f32 tensor of shape [6, 3] holding 18 values',
      ]);
      // Nothing changed: not even fc1.bias, which was valid.
      const got = (await session.run(seededInputs(net, 2)))['fc2']!;
      expect(got.data).toEqual((await outputs(backend, net, a, 2))['fc2']!.data);
    });
  },
);

function target(batch: number): Tensor {
  const data = Float32Array.from({ length: batch * 3 }, (_, i) => Math.sin(i + 1));
  return { dtype: 'f32', shape: [batch, 3], data };
}
