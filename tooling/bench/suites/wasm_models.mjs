// Whole-model inference on Kiln's WASM backend beside tfjs-backend-wasm (XNNPACK, SIMD), batch
// 1, one thread (and Kiln with two threads), seeded weights and inputs. Each output is compared
// with Kiln's CPU backend before anything is timed. Every model runs once untimed first, even
// in plans that time a single run: wasm starts on V8's baseline compiler.
import { createWasmBackend } from '@kiln/backend-wasm';
import { modelStats } from '@kiln/core';
import { nhwcToNchw, relativeDiff } from '../data.mjs';
import { fmtDiff, fmtMs, fmtRatio } from '../format.mjs';
import { exampleModel, kilnSession, runFirst, seededInputs } from '../kiln.mjs';
import { timings } from '../measure.mjs';
import { tfjsCpu } from '../peers.mjs';
import { tfjsModel } from '../tfjs_graph.mjs';
import { kilnWasmBackend, tfjsWasm } from '../wasm.mjs';

const TOLERANCE = 1e-3;
const MODELS = [
  { name: 'mlp-fashion', label: 'MLP (mlp-fashion)', cost: 'small', goal: true },
  { name: 'lenet5', label: 'LeNet-5', cost: 'small', goal: false },
  { name: 'resnet18', label: 'ResNet-18', cost: 'large', goal: true },
  { name: 'vgg16', label: 'VGG-16', cost: 'huge', goal: true },
];
const twoThreads = createWasmBackend({ threads: 2 });

async function kilnSide(backend, model, inputs, reference, plan) {
  const session = await backend.compile(model.graph, model.weights);
  let last;
  const t = await timings(
    async () => (last = (await runFirst(session, model.graph, inputs)).data),
    plan,
  );
  return { t, diff: relativeDiff(last, reference), threads: session.info.details.threads };
}

async function tfjsSide(model, inputs, reference, plan) {
  const tf = await tfjsWasm();
  const net = tfjsModel(tf, model.graph, model.shapes, model.weights);
  const feeds = net.feeds(inputs);
  let last;
  const t = await timings(() => {
    const y = net.forward(feeds);
    last = { data: y.dataSync(), shape: y.shape };
    y.dispose();
  }, plan);
  const out = last.shape.length === 4 ? nhwcToNchw(last.data, last.shape) : last.data;
  for (const f of Object.values(feeds)) f.dispose();
  net.dispose();
  return { t, diff: relativeDiff(out, reference) };
}

/** One model's row and, for the models issue #6 names, its goal. */
export async function wasmModelRow(spec, ctx) {
  ctx.log(`wasm model ${spec.label}`);
  const base = ctx.plan[spec.cost];
  const plan = { ...base, warmup: Math.max(1, base.warmup) };
  const model = exampleModel(ctx.root, spec.name);
  const inputs = seededInputs(model.graph);
  const cpu = await kilnSession(model.graph, model.weights);
  const reference = (await runFirst(cpu, model.graph, inputs)).data;
  const one = await kilnSide(kilnWasmBackend, model, inputs, reference, plan);
  const two = await kilnSide(twoThreads, model, inputs, reference, plan);
  const tfjs = await tfjsSide(model, inputs, reference, plan);
  const gmac = modelStats(model.graph, model.shapes).totalMacs / 1e9;
  const check = (d) => (d <= TOLERANCE ? fmtDiff(d) : `${fmtDiff(d)} MISMATCH`);
  const ratio = tfjs.t.median / one.t.median;
  return {
    row: [
      spec.label,
      gmac.toFixed(gmac < 0.1 ? 4 : 2),
      fmtMs(one.t.median),
      `${fmtMs(two.t.median)} (${two.threads} threads)`,
      fmtMs(tfjs.t.median),
      fmtRatio(ratio),
      `${check(one.diff)} / ${check(two.diff)} / ${check(tfjs.diff)}`,
      [one.t, two.t, tfjs.t].map((t) => t.runs).join('/'),
    ],
    goal: spec.goal
      ? {
          goal: `${spec.label}: Kiln WASM (one thread) ahead of tfjs-backend-wasm`,
          result: fmtRatio(ratio),
          met: ratio > 1 && one.diff <= TOLERANCE,
        }
      : undefined,
  };
}

export const id = 'wasm-models';

export async function run(ctx) {
  const chosen = MODELS.filter((m) => ctx.selected(id, m.name));
  if (!chosen.length) return undefined;
  const results = [];
  for (const spec of chosen) results.push(await wasmModelRow(spec, ctx));
  // Later suites expect tfjs on its CPU backend again.
  await (await tfjsCpu()).setBackend('cpu');
  return {
    id,
    title: 'Whole-model inference on WASM, batch 1',
    note:
      'Kiln compiled for its WASM backend (one thread; and two threads, the caller and one ' +
      'worker) against the same network built from tfjs ops on tfjs-backend-wasm (one ' +
      'thread). Times are one `session.run` / forward pass with its output copied out.',
    header: [
      'model',
      'GMAC',
      'Kiln WASM',
      'Kiln WASM threads',
      'tfjs-backend-wasm',
      'Kiln × tfjs-wasm',
      'check (Kiln 1t / 2t / tfjs)',
      'runs',
    ],
    rows: results.map((r) => r.row),
    goals: results.flatMap((r) => (r.goal ? [r.goal] : [])),
    notes: [
      'check: largest difference to Kiln CPU relative to its largest magnitude; ' +
        '"Kiln × tfjs-wasm" is tfjs time / Kiln one-thread time (above 1: Kiln is faster).',
    ],
  };
}
