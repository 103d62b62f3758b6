// Training: one epoch of examples/mlp-fashion.kiln on the real Fashion-MNIST (Debian's
// dataset-fashion-mnist), Kiln beside PyTorch on one thread (Debian's python3-torch, run by
// test/train/torch_mlp_epoch.py: the same layers, SGD with momentum, batch 64, cross-entropy).
//
// What is timed is the pass over the 60,000 training images only — from the first batch to the
// end of the last optimizer step — as the PyTorch script times it; Kiln's test-set evaluation
// after the epoch is left out. PyTorch runs before and after the Kiln rows and the faster of its
// two times is the reference, so a load that comes and goes on the shared machine does not
// flatter Kiln. A missing dataset or PyTorch makes the row say what to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { cpuBackend } from '@kiln/backend-cpu';
import { buildTrainingGraph } from '@kiln/core';
import { bindLoss, loadDataDir, readTrainConfig, train } from '@kiln/train';
import { compileKiln, loadExample } from '../kiln.mjs';
import { fmtRatio } from '../format.mjs';
import { kilnWasmBackend } from '../wasm.mjs';

export const id = 'train';

const DATA = process.env.KILN_FASHION_DIR ?? '/usr/share/datasets/fashion-mnist';
const PYTHON = '/usr/bin/python3';
/** Issue 5's goal: one epoch in at most this multiple of PyTorch's one-thread time. */
const GOAL = 1.5;

/** Seconds of PyTorch's epoch, or the reason there is none. */
function torchEpoch(root) {
  const script = resolve(root, 'test/train/torch_mlp_epoch.py');
  const r = spawnSync(PYTHON, [script, DATA], { encoding: 'utf8' });
  const m = /one epoch in ([\d.]+) s/.exec(r.stdout ?? '');
  if (m) return { seconds: Number(m[1]) };
  const why = (r.stderr || r.error?.message || '').trim().split('\n').at(-1);
  return { error: why?.includes('torch') ? 'PyTorch missing: apt-get install python3-torch' : why };
}

/** Seconds of Kiln's pass over the training set on `backend`, and the epoch's train loss. */
async function kilnEpoch(backend, graph, data) {
  const config = { ...readTrainConfig(graph, {}), epochs: 1 };
  let began;
  let ended;
  let loss;
  await train({
    backend,
    graph,
    config,
    data,
    // The loop's first clock reading is its start (compiling the training graph included); the
    // last batch's progress report marks the end of the pass.
    clock: () => {
      const t = performance.now();
      began ??= t;
      return t;
    },
    onBatch: (p) => {
      if (p.batch === p.batches) {
        ended = performance.now();
        loss = p.loss;
      }
    },
  });
  return { seconds: (ended - began) / 1000, loss };
}

/** Whether `backend` has a kernel for every op of the model's training graph. */
function trains(backend, graph, shapes) {
  const loss = bindLoss(graph, shapes, readTrainConfig(graph, {}).loss);
  const tg = buildTrainingGraph(graph, { kind: loss.kind, prediction: loss.prediction });
  return tg.graph.nodes.every((n) => backend.capabilities.ops.has(n.op));
}

export async function run(ctx) {
  if (!ctx.selected(id, 'mlp-fashion')) return undefined;
  const { file, source } = loadExample(ctx.root, 'mlp-fashion');
  const { graph, shapes } = compileKiln(source, file);
  const section = {
    id,
    title: 'Training: one epoch of mlp-fashion',
    note:
      '`examples/mlp-fashion.kiln` (784-256-128-100-10, ReLU, SGD momentum 0.9, lr 0.01, batch ' +
      '64, cross-entropy) for one epoch over the 60,000 Fashion-MNIST training images, through ' +
      "`train` from `@kiln/train` with the model's own training section. Timed: the pass over the " +
      'training set (data gathering, forward, backward, optimizer, weight updates), not the ' +
      'test evaluation after it. PyTorch 1.13 (Debian) runs the same network on one thread ' +
      '(`test/train/torch_mlp_epoch.py`) before and after the Kiln rows; "× PyTorch" is Kiln ' +
      "time / PyTorch's faster time (below 1: faster than PyTorch).",
    header: ['implementation', 'epoch', 'samples/s', 'train loss', '× PyTorch'],
    rows: [],
    goals: [],
    notes: [],
  };
  if (!existsSync(resolve(DATA, 'train-images-idx3-ubyte.gz'))) {
    section.rows.push([
      `no data in ${DATA}: apt-get install dataset-fashion-mnist`,
      '',
      '',
      '',
      '',
    ]);
    return section;
  }
  const data = loadDataDir(DATA);
  ctx.log('train: PyTorch, first run');
  const before = torchEpoch(ctx.root);
  const kiln = [];
  for (const backend of [cpuBackend, kilnWasmBackend]) {
    if (!trains(backend, graph, shapes)) {
      kiln.push({ name: `Kiln, ${backend.name} backend`, error: 'no backward kernels' });
      continue;
    }
    ctx.log(`train: Kiln on ${backend.name}`);
    kiln.push({
      name: `Kiln, ${backend.name} backend`,
      ...(await kilnEpoch(backend, graph, data)),
    });
  }
  ctx.log('train: PyTorch, second run');
  const after = torchEpoch(ctx.root);
  const times = [before, after].filter((t) => t.seconds !== undefined).map((t) => t.seconds);
  const reference = times.length ? Math.min(...times) : undefined;
  const count = data.train.count;
  for (const k of kiln) {
    if (k.error) {
      section.rows.push([k.name, k.error, '', '', '']);
      continue;
    }
    const ratio = reference === undefined ? undefined : k.seconds / reference;
    section.rows.push([
      k.name,
      `${k.seconds.toFixed(1)} s`,
      (count / k.seconds).toFixed(0),
      k.loss.toFixed(4),
      ratio === undefined ? 'n/a' : fmtRatio(ratio),
    ]);
    if (ratio !== undefined) {
      section.goals.push({
        goal: `${k.name}: one epoch ≤ ${GOAL}× PyTorch's one-thread time`,
        result: fmtRatio(ratio),
        met: ratio <= GOAL,
      });
    }
  }
  for (const [label, t] of [
    ['PyTorch, 1 thread (before)', before],
    ['PyTorch, 1 thread (after)', after],
  ]) {
    section.rows.push(
      t.seconds === undefined
        ? [label, t.error ?? 'failed', '', '', '']
        : [label, `${t.seconds.toFixed(1)} s`, (count / t.seconds).toFixed(0), '', ''],
    );
  }
  return section;
}
