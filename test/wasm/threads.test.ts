import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../packages/backend-wasm/src/index.js';
import type { WorkerHandle } from '../../packages/backend-wasm/src/pool.js';
import type { Graph, Session } from '../../packages/core/src/index.js';
import { hasErrors } from '../../packages/core/src/index.js';
import { compile } from '../../packages/dsl/src/index.js';
import { randomWeights } from '../passes/random_weights.js';
import { reference, scaledError, seededInputs } from './models.js';

function model(source: string): Graph {
  const result = compile(source, 'test.kiln');
  if (hasErrors(result.diagnostics) || !result.graph) throw new Error('bad test model');
  return result.graph;
}

// Convs with several column blocks, a grouped conv, and a dense layer wider than a few panels:
// every split the threads make is exercised. Each step has more than POOL_MIN_MACS (2^21)
// multiply-adds per image, so the pool takes it.
const net = model(`model net {
  input x: f32[N, 8, 32, 32]
  c1 = conv 32 kernel=3 pad=1 relu
  c2 = conv 32 kernel=3 pad=1 groups=4
  p = maxpool 2
  flat = flatten
  fc = dense 301
}
`);

describe('wasm sessions with worker threads', () => {
  const threaded = createWasmBackend({ threads: 3 });

  it('split conv and dense among the threads and match the cpu backend', async () => {
    const weights = randomWeights(net, 2);
    const session = await threaded.compile(net, weights);
    expect(session.info.details['threads']).toBe(3);
    for (const batch of [1, 3]) {
      const inputs = seededInputs(net, batch, batch);
      const got = (await session.run(inputs))['fc']!;
      const [want] = await reference(net, weights, inputs);
      expect(got.shape).toEqual([batch, 301]);
      expect(scaledError(got, want!)).toBeLessThanOrEqual(1e-5);
    }
  });

  it('queue concurrent runs of one session', async () => {
    const weights = randomWeights(net, 2);
    const session = await threaded.compile(net, weights);
    const inputs = [1, 2, 3].map((seed) => seededInputs(net, 2, seed));
    const got = await Promise.all(inputs.map((i) => session.run(i)));
    for (let i = 0; i < 3; i++) {
      const [want] = await reference(net, weights, inputs[i]!);
      expect(scaledError(got[i]!['fc']!, want!)).toBeLessThanOrEqual(1e-5);
    }
  });

  it('end a run with a clear error when a worker dies, and refuse later runs', async () => {
    let kill: () => void = () => {};
    const spawned = await import('../../packages/backend-wasm/src/node-workers.js');
    const spawn = (await spawned.nodeWorkers())!;
    const backend = createWasmBackend({
      threads: 2,
      // The real spawner, keeping a handle on the worker so the test can end its thread.
      workers: async () => (init) => {
        const handle = spawn(init);
        kill = () => handle.terminate();
        return handle;
      },
    });
    const session: Session = await backend.compile(net, randomWeights(net, 2));
    const inputs = seededInputs(net, 1);
    await session.run(inputs);
    kill();
    await expect(session.run(inputs)).rejects.toThrow(/wasm worker thread 1 died/);
    await expect(session.run(inputs)).rejects.toThrow(/cannot run any more/);
    // Weight updates too, and the info says why.
    await expect(session.updateWeights(randomWeights(net, 3))).rejects.toThrow(/cannot run/);
    expect(session.info.details['broken']).toMatch(/wasm worker thread 1 died/);
  });

  // A worker that never takes its part (stopped, not dead): the run fails after stallMs.
  it('end a run whose worker makes no progress, and refuse later runs', async () => {
    const stalled: WorkerHandle = { watch: () => {}, hold: () => {}, terminate: () => {} };
    const backend = createWasmBackend({
      threads: 2,
      stallMs: 300,
      workers: async () => () => stalled,
    });
    const session = await backend.compile(net, randomWeights(net, 2));
    const inputs = seededInputs(net, 1);
    const started = Date.now();
    await expect(session.run(inputs)).rejects.toThrow(
      'wasm worker threads made no progress for 300 ms (1 of 1 still working); this session ' +
        'cannot run any more',
    );
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(session.run(inputs)).rejects.toThrow(/made no progress/);
    expect(() => createWasmBackend({ stallMs: 0 })).toThrow(
      'wasm backend: stallMs must be a whole number of milliseconds from 1, got 0',
    );
  });

  it('run on one thread, and say why, where no workers can be started', async () => {
    const backend = createWasmBackend({ threads: 4, workers: async () => undefined });
    const session = await backend.compile(net, randomWeights(net, 2));
    expect(session.info.details['threads']).toBe(1);
    expect(session.info.details['threadsNote']).toMatch(/asked for 4 threads, running on 1/);
  });
});
