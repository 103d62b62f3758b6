// Whole-model inference at batch 1, seeded weights and inputs: Kiln's CPU backend against the
// same network built from tfjs ops (tfjs_graph.mjs) and against Kiln's ONNX export on
// onnxruntime. Each peer's output is compared with Kiln's before anything is timed.
import { modelStats } from '@kiln/core';
import { nhwcToNchw, relativeDiff } from '../data.mjs';
import { fmtDiff, fmtMs, fmtRatio } from '../format.mjs';
import { exampleModel, kilnSession, runFirst, seededInputs } from '../kiln.mjs';
import { timings } from '../measure.mjs';
import { ortModel } from '../ort_model.mjs';
import { tfjsCpu } from '../peers.mjs';
import { tfjsModel } from '../tfjs_graph.mjs';

/** Outputs further apart than this mean the peers computed something else. */
const TOLERANCE = 1e-3;

const MODELS = [
  { name: 'mlp-fashion', label: 'MLP (mlp-fashion)', cost: 'small' },
  { name: 'lenet5', label: 'LeNet-5', cost: 'small' },
  { name: 'vgg16', label: 'VGG-16', cost: 'huge' },
  { name: 'resnet18', label: 'ResNet-18', cost: 'large' },
];

const sameWithin = (d) => (d <= TOLERANCE ? fmtDiff(d) : `${fmtDiff(d)} MISMATCH`);

async function tfjsSide(model, inputs, reference, plan, ctx) {
  const tf = await tfjsCpu();
  let net;
  try {
    net = tfjsModel(tf, model.graph, model.shapes, model.weights);
  } catch (e) {
    return { reason: `n/a (${e.message})` };
  }
  const feeds = net.feeds(inputs);
  // The output of the last timed run is the one checked, so a model timed once runs once.
  let last;
  const once = () => {
    const y = net.forward(feeds);
    last = { data: y.dataSync(), shape: y.shape };
    y.dispose();
  };
  ctx.log('  tfjs');
  const t = await timings(once, plan);
  const out = last.shape.length === 4 ? nhwcToNchw(last.data, last.shape) : last.data;
  const diff = relativeDiff(out, reference);
  for (const f of Object.values(feeds)) f.dispose();
  net.dispose();
  return { t, diff };
}

async function ortSide(model, inputs, reference, plan, ctx) {
  const runner = await ortModel(model.graph, model.shapes, model.weights);
  if (runner.reason) return runner;
  const feeds = runner.feeds(inputs);
  let last;
  ctx.log('  onnxruntime');
  const t = await timings(async () => (last = await runner.run(feeds)), plan);
  const diff = relativeDiff(last, reference);
  await runner.release();
  return { t, diff };
}

async function oneModel(spec, ctx) {
  ctx.log(`model ${spec.label}`);
  const plan = ctx.plan[spec.cost];
  const model = exampleModel(ctx.root, spec.name);
  const inputs = seededInputs(model.graph);
  const session = await kilnSession(model.graph, model.weights);
  let reference;
  ctx.log('  kiln');
  const kiln = await timings(
    async () => (reference = (await runFirst(session, model.graph, inputs)).data),
    plan,
  );
  const tfjs = await tfjsSide(model, inputs, reference, plan, ctx);
  const onnx = await ortSide(model, inputs, reference, plan, ctx);
  const gmac = modelStats(model.graph, model.shapes).totalMacs / 1e9;
  const cell = (side) => side.reason ?? fmtMs(side.t.median);
  const speed = (side) => (side.reason ? 'n/a' : fmtRatio(side.t.median / kiln.median));
  const check = (side) => (side.reason ? 'n/a' : sameWithin(side.diff));
  return {
    row: [
      spec.label,
      gmac.toFixed(gmac < 0.1 ? 4 : 2),
      fmtMs(kiln.median),
      cell(tfjs),
      cell(onnx),
      speed(tfjs),
      speed(onnx),
      check(tfjs),
      check(onnx),
      [kiln, tfjs.t, onnx.t].map((t) => (t ? t.runs : '-')).join('/'),
    ],
    reasons: [tfjs, onnx].filter((s) => s.reason).map((s) => `${spec.label}: ${s.reason}`),
  };
}

export const id = 'models';

export async function run(ctx) {
  const chosen = MODELS.filter((m) => ctx.selected(id, m.name));
  if (!chosen.length) return undefined;
  const results = [];
  for (const spec of chosen) results.push(await oneModel(spec, ctx));
  return {
    id,
    title: 'Whole-model inference, batch 1',
    note:
      'Each model compiled from `examples/*.kiln` by `@kiln/dsl`, weights from ' +
      '`initWeights(graph, shapes, 42)`, a seeded uniform input. Kiln times `session.run` on ' +
      'the CPU backend (weights packed at compile time). tfjs runs the same network built op ' +
      "by op from Kiln's IR in NHWC (weights transposed at build time, input transposed " +
      'outside the timed region, `tf.tidy` + `dataSync` inside it). onnxruntime runs the model ' +
      `exported by \`@kiln/onnx\`, one thread. "check" is the largest difference to Kiln's ` +
      `output relative to its largest magnitude (must be ≤ ${TOLERANCE}). "Kiln × peer" is ` +
      'peer time / Kiln time (above 1: Kiln is faster). Runs: Kiln/tfjs/ORT timed runs; ' +
      'ResNet-18 gets one warm-up run and three timed ones, VGG-16 a single timed run per ' +
      'implementation (no warm-up; a forward takes seconds, so first-call JIT cost is small).',
    header: [
      'model',
      'GMAC',
      'Kiln CPU',
      'tfjs-backend-cpu',
      'onnxruntime',
      'Kiln × tfjs',
      'Kiln × ORT',
      'check tfjs',
      'check ORT',
      'runs',
    ],
    rows: results.map((r) => r.row),
    goals: [],
    notes: [...new Set(results.flatMap((r) => r.reasons))],
  };
}
