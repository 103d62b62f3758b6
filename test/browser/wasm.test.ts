/**
 * The WASM backend in Chromium against the CPU backend in the same page (wasm.page.ts): example
 * models from Kiln text, the module from a URL and from bytes, after fc-to-conv, on two Web
 * Worker threads in a cross-origin isolated page, on one thread (saying why) in a page that is
 * not, and runs whose worker dies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type {
  CompareCase,
  CompareResult,
  DyingWorkerCase,
  DyingWorkerResult,
} from './wasm.page.js';
import { describeInBrowser } from './harness.js';
import type { Asset } from './server.js';

const TOLERANCE = 1e-5;
const dist = new URL('../../packages/backend-wasm/dist/', import.meta.url);

function distFile(name: string, type: string): Asset {
  const file = new URL(name, dist);
  if (!existsSync(file)) {
    throw new Error(`${file.pathname} is missing: build @kiln/backend-wasm first (pnpm build)`);
  }
  return { body: readFileSync(file), type };
}

const example = (name: string) => ({
  source: readFileSync(new URL(`../../examples/${name}.kiln`, import.meta.url), 'utf8'),
  file: `${name}.kiln`,
});

/** A worker that starts, waits for its first task, then throws instead of running it. */
const FAILING_WORKER = `self.onmessage = (event) => {
  const { memory, ctl } = event.data;
  Atomics.wait(new Int32Array(memory.buffer, ctl, 1), 0, 0);
  throw new Error('the test worker gives up on its first task');
};
`;

const assets = (): ReadonlyMap<string, Asset> =>
  new Map([
    ['/kiln.wasm', distFile('kiln.wasm', 'application/wasm')],
    ['/kiln-mt.wasm', distFile('kiln-mt.wasm', 'application/wasm')],
    ['/kiln-worker.js', distFile('kiln-worker.js', 'text/javascript')],
    ['/failing-worker.js', { body: FAILING_WORKER, type: 'text/javascript' }],
  ]);

describeInBrowser('the wasm backend in chromium', (openPage) => {
  const entry = new URL('./wasm.page.ts', import.meta.url);
  const isolated = openPage({ entry, assets: assets() });
  const plain = openPage({ entry, assets: assets(), isolated: false });
  const compare = (c: CompareCase) => isolated.call<CompareResult>('compareWithCpu', c);

  it('runs lenet5 from the module URL as the cpu backend does', async () => {
    const got = await compare({ ...example('lenet5'), batch: 3, load: 'url' });
    expect(got.info.backend).toBe('wasm');
    expect(got.info.details['threads']).toBe(1);
    expect(got.error).toBeLessThanOrEqual(TOLERANCE);
  });

  it('runs mlp-fashion from the module bytes', async () => {
    const got = await compare({ ...example('mlp-fashion'), batch: 4, load: 'bytes' });
    expect(got.info.backend).toBe('wasm');
    expect(got.error).toBeLessThanOrEqual(TOLERANCE);
  });

  it('runs lenet5 after fc-to-conv as the cpu backend runs it as written', async () => {
    const got = await compare({ ...example('lenet5'), batch: 2, load: 'url', pass: 'fc-to-conv' });
    expect(got.ops).not.toContain('dense');
    expect(got.error).toBeLessThanOrEqual(TOLERANCE);
  });

  // At these batches each model has conv or dense steps big enough for the pool: a worker that
  // skipped its part would leave part of an output unwritten.
  for (const [name, batch] of [
    ['cnn-fashion', 4],
    ['mlp-fashion', 16],
  ] as const) {
    it(`runs ${name} on two web worker threads in a cross-origin isolated page`, async () => {
      const got = await compare({ ...example(name), batch, load: 'url', threads: 2 });
      expect(got.crossOriginIsolated).toBe(true);
      expect(got.info.details['threads']).toBe(2);
      expect(got.info.details['threadsNote']).toBeUndefined();
      expect(got.error).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  it('runs workers from the shipped script (dist/kiln-worker.js) as well', async () => {
    const c = { ...example('cnn-fashion'), batch: 4, load: 'bytes' as const, threads: 2 };
    const got = await compare({ ...c, workerScript: 'kiln-worker.js' });
    expect(got.info.details['threads']).toBe(2);
    expect(got.error).toBeLessThanOrEqual(TOLERANCE);
  });

  it('runs on one thread, saying why, in a page that is not cross-origin isolated', async () => {
    const c = { ...example('cnn-fashion'), batch: 4, load: 'url' as const, threads: 2 };
    const got = await plain.call<CompareResult>('compareWithCpu', c);
    expect(got.crossOriginIsolated).toBe(false);
    expect(got.info.details['threads']).toBe(1);
    expect(got.info.details['threadsNote']).toMatch(
      /asked for 2 threads, running on 1: the page is not cross-origin isolated.*Cross-Origin-Embedder-Policy: require-corp/,
    );
    expect(got.error).toBeLessThanOrEqual(TOLERANCE);
  });

  const dying = (worker: DyingWorkerCase['worker']) =>
    isolated.call<DyingWorkerResult>('runWithDyingWorker', {
      ...example('cnn-fashion'),
      batch: 4,
      worker,
    });

  it('ends runs with an error when a worker throws, instead of hanging', async () => {
    const { threads, runs } = await dying({ script: 'failing-worker.js' });
    expect(threads).toBe(2);
    for (const run of runs) {
      expect(run).toMatch(
        /^wasm worker thread 1 died \(it threw: .*the test worker gives up on its first task\); this session cannot run any more$/,
      );
    }
  });

  it('ends runs with an error when a worker script cannot be loaded', async () => {
    const { runs } = await dying({ script: 'no-such-worker.js' });
    for (const run of runs) {
      expect(run).toMatch(/^wasm worker thread 1 died \(its script could not be loaded\)/);
    }
  });

  it('ends runs with an error once a worker is terminated', async () => {
    const { runs } = await dying('terminate');
    expect(runs[0]).toBe('ok');
    expect(runs.slice(1)).toEqual([
      'wasm worker thread 1 died (it was terminated); this session cannot run any more',
      'wasm worker thread 1 died (it was terminated); this session cannot run any more',
    ]);
  });
});
