// Training speed of each backend on one example, in one process: the first BATCHES
// mini-batches of an epoch over the real Fashion-MNIST (Debian's dataset-fashion-mnist), through
// `train` from `@kiln/train` with the model's own training section, on the CPU backend, WASM on
// one thread and WASM on two. A standalone part of BENCHMARKS.md's Training section:
//
//   node tooling/bench/train_backends.mjs [--batches B] [NAME...]
//
// NAME is an example (default: mlp-fashion and cnn-fashion). Timed: the pass over those batches
// (data gathering, forward, backward, optimizer, weight updates), from the first batch to the
// last optimizer step; compiling the training graph and the test evaluation are left out. The
// backends take turns per model (cpu, wasm, wasm ×2, then the same again) and the faster of each
// backend's two passes is kept, so load that comes and goes on a shared machine counts less.
// "epoch" projects the rate to the 60,000 training images.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuBackend } from '@kiln/backend-cpu';
import { createWasmBackend, wasmBackend } from '@kiln/backend-wasm';
import { head, loadDataDir, readTrainConfig, train } from '@kiln/train';
import { compileKiln, loadExample } from './kiln.mjs';
import { consoleTable, machine } from './report.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = process.env.KILN_FASHION_DIR ?? '/usr/share/datasets/fashion-mnist';

const { values, positionals } = parseArgs({
  options: { batches: { type: 'string', default: '100' } },
  allowPositionals: true,
});
const batches = Number(values.batches);
const names = positionals.length ? positionals : ['mlp-fashion', 'cnn-fashion'];
const backends = [
  ['cpu', cpuBackend],
  ['wasm, 1 thread', wasmBackend],
  ['wasm, 2 threads', createWasmBackend({ threads: 2 })],
];

/** Seconds of one pass over the first `batches` batches; the clock starts at the first batch. */
async function pass(backend, graph, data, batchSize) {
  const config = { ...readTrainConfig(graph, {}), epochs: 1 };
  let began;
  let ended;
  await train({
    backend,
    graph,
    config,
    // An empty test set would be refused; one batch of it keeps the evaluation short.
    data: { train: head(data.train, batches * batchSize), test: head(data.test, 1) },
    onBatch: (p) => {
      if (p.batch === 1) began = performance.now();
      if (p.batch === p.batches) ended = performance.now();
    },
  });
  // The first batch's own time is not counted: the clock starts when it has finished.
  return (ended - began) / 1000 / (batches - 1);
}

if (!existsSync(resolve(DATA, 'train-images-idx3-ubyte.gz'))) {
  console.error(`no data in ${DATA}: apt-get install dataset-fashion-mnist`);
  process.exit(1);
}
const data = loadDataDir(DATA);
const m = machine();
console.log(`${m.cpu}, ${m.cores} cores, ${m.memory}; ${m.os}; Node ${m.node}; load ${m.load}`);
for (const name of names) {
  const { file, source } = loadExample(ROOT, name);
  const { graph } = compileKiln(source, file);
  const batchSize = readTrainConfig(graph, {}).batchSize;
  const best = new Map();
  for (let round = 0; round < 2; round++) {
    for (const [label, backend] of backends) {
      console.error(`${name}: ${label}, round ${round + 1}`);
      const perBatch = await pass(backend, graph, data, batchSize);
      best.set(label, Math.min(best.get(label) ?? Infinity, perBatch));
    }
  }
  const cpu = best.get('cpu');
  const rows = [...best].map(([label, perBatch]) => [
    label,
    `${(perBatch * 1000).toFixed(1)} ms`,
    (batchSize / perBatch).toFixed(0),
    `${((perBatch * data.train.count) / batchSize).toFixed(1)} s`,
    `${(cpu / perBatch).toFixed(1)}×`,
  ]);
  const title = `${name}: ${batches} batches of ${batchSize}, faster of two passes`;
  const header = ['backend', 'batch', 'samples/s', 'epoch', '× cpu'];
  console.log(consoleTable({ title, header, rows }));
}
console.log(`load at the end: ${machine().load}`);
