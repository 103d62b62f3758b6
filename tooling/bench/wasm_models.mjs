// Whole-model inference on Kiln's WASM backend beside tfjs-backend-wasm, batch 1, one thread
// (and Kiln with two threads), seeded weights and inputs. A standalone part of the WASM section:
//
//   node tooling/bench/wasm_models.mjs [--quick] [NAME...]
//
// NAME is an example (mlp-fashion, lenet5, resnet18, vgg16); by default all four. Each output is
// compared with Kiln's CPU backend before anything is timed.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelStats } from '@kiln/core';
import { nhwcToNchw, relativeDiff } from './data.mjs';
import { fmtDiff, fmtMs, fmtRatio } from './format.mjs';
import { exampleModel, kilnSession, runFirst, seededInputs } from './kiln.mjs';
import { PLANS, timings } from './measure.mjs';
import { consoleTable, machine } from './report.mjs';
import { tfjsModel } from './tfjs_graph.mjs';
import { kilnWasmBackend, tfjsWasm } from './wasm.mjs';
import { createWasmBackend } from '@kiln/backend-wasm';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TOLERANCE = 1e-3;
const MODELS = [
  { name: 'mlp-fashion', label: 'MLP (mlp-fashion)', cost: 'small' },
  { name: 'lenet5', label: 'LeNet-5', cost: 'small' },
  { name: 'resnet18', label: 'ResNet-18', cost: 'large' },
  { name: 'vgg16', label: 'VGG-16', cost: 'huge' },
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

async function oneModel(spec, plans, log) {
  log(`model ${spec.label}`);
  const plan = plans[spec.cost];
  const model = exampleModel(ROOT, spec.name);
  const inputs = seededInputs(model.graph);
  const cpu = await kilnSession(model.graph, model.weights);
  const reference = (await runFirst(cpu, model.graph, inputs)).data;
  log('  kiln wasm');
  const one = await kilnSide(kilnWasmBackend, model, inputs, reference, plan);
  log('  kiln wasm, 2 threads');
  const two = await kilnSide(twoThreads, model, inputs, reference, plan);
  log('  tfjs wasm');
  const tfjs = await tfjsSide(model, inputs, reference, plan);
  const gmac = modelStats(model.graph, model.shapes).totalMacs / 1e9;
  const check = (d) => (d <= TOLERANCE ? fmtDiff(d) : `${fmtDiff(d)} MISMATCH`);
  return [
    spec.label,
    gmac.toFixed(gmac < 0.1 ? 4 : 2),
    fmtMs(one.t.median),
    `${fmtMs(two.t.median)} (${two.threads} threads)`,
    fmtMs(tfjs.t.median),
    fmtRatio(tfjs.t.median / one.t.median),
    `${check(one.diff)} / ${check(two.diff)} / ${check(tfjs.diff)}`,
    [one.t, two.t, tfjs.t].map((t) => t.runs).join('/'),
  ];
}

const quick = process.argv.includes('--quick');
const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const chosen = MODELS.filter((m) => !names.length || names.includes(m.name));
const log = (line) => process.stderr.write(`${line}\n`);
const m = machine();
console.log(`Kiln WASM models: ${m.cpu}, ${m.cores} cores, Node ${m.node}, load ${m.load}`);
const rows = [];
for (const spec of chosen) rows.push(await oneModel(spec, PLANS[quick ? 'quick' : 'full'], log));
console.log(
  consoleTable({
    title: 'Whole-model inference on WASM, batch 1',
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
    rows,
    goals: [],
    notes: [
      'check: largest difference to Kiln CPU relative to its largest magnitude; ' +
        '"Kiln × tfjs-wasm" is tfjs time / Kiln one-thread time (above 1: Kiln is faster).',
    ],
  }),
);
