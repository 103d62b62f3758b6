// WebGPU: Kiln's WGSL kernels through the backend interface (dense and conv sessions, whole
// models at batch 1), each output checked against the CPU backend before it is timed. In Node
// the GPU is Dawn's (the `webgpu` package); on a machine without a GPU that is SwiftShader, a
// CPU emulation: its figures only show the backend runs, not how fast a GPU would be.
import { existsSync } from 'node:fs';
import { initWeights } from '@kiln/core';
import { cpuBackend } from '@kiln/backend-cpu';
import { createWebGpuBackend, nodeGpu } from '@kiln/backend-webgpu';
import { relativeDiff } from '../data.mjs';
import { fmtDiff, fmtGflops, fmtMs } from '../format.mjs';
import { compileKiln, exampleModel, runFirst, seededInputs } from '../kiln.mjs';
import { gflops, timings } from '../measure.mjs';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
/** Outputs further apart than this (relative to the largest magnitude) are a broken backend. */
const TOLERANCE = 1e-4;

const KERNELS = [
  {
    name: '512x512x512',
    label: 'GEMM 512³ (dense, batch 512)',
    source: 'model g {\n  input x: f32[512, 512]\n  dense 512 bias=false\n}\n',
    flops: 2 * 512 ** 3,
  },
  {
    name: '64x784x4096',
    label: 'GEMM 64×784×4096 (dense, batch 64)',
    source: 'model g {\n  input x: f32[64, 784]\n  dense 4096 bias=false\n}\n',
    flops: 2 * 64 * 784 * 4096,
  },
  {
    name: 'conv3x3',
    label: 'conv 3×3 [1,64,56,56] → 64',
    source: 'model c {\n  input x: f32[1, 64, 56, 56]\n  conv 64 kernel=3 pad=1 bias=false\n}\n',
    flops: 2 * 64 * 64 * 9 * 56 * 56,
  },
];

const MODELS = [
  { name: 'mlp-fashion', label: 'MLP (mlp-fashion), batch 1', cost: 'small' },
  { name: 'lenet5', label: 'LeNet-5, batch 1', cost: 'small' },
  { name: 'resnet18', label: 'ResNet-18, batch 1', cost: 'large' },
];

/** Why WebGPU cannot run here, or undefined. Points Dawn at SwiftShader when nothing is set. */
async function unavailable() {
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  try {
    return (await (await nodeGpu()).requestAdapter()) ? undefined : 'Dawn found no adapter';
  } catch (e) {
    return `Dawn does not load (${e.message})`;
  }
}

/** One row: compile on both backends, check WebGPU against the CPU, then time WebGPU. */
async function row(backend, label, graph, weights, inputs, plan, flops) {
  const want = await runFirst(await cpuBackend.compile(graph, weights), graph, inputs);
  const session = await backend.compile(graph, weights);
  const got = await runFirst(session, graph, inputs);
  const diff = relativeDiff(got.data, want.data);
  const t = await timings(() => session.run(inputs), plan);
  return {
    info: session.info,
    cells: [
      label,
      fmtMs(t.median),
      flops ? fmtGflops(gflops(flops, t.median)) : '-',
      diff <= TOLERANCE ? fmtDiff(diff) : `${fmtDiff(diff)} MISMATCH`,
      String(t.runs),
    ],
  };
}

export const id = 'webgpu';

export async function run(ctx) {
  const kernels = KERNELS.filter((k) => ctx.selected(id, k.name));
  const models = MODELS.filter((m) => ctx.selected(id, m.name));
  if (!kernels.length && !models.length) return undefined;
  const header = ['case', 'median', 'GFLOP/s', 'check', 'runs'];
  const why = await unavailable();
  if (why) {
    return {
      id,
      title: 'WebGPU (Dawn)',
      note: `Not run: ${why}. Install libvulkan1 and chromium (SwiftShader) or run on a GPU.`,
      header,
      rows: [],
      goals: [],
      notes: [],
    };
  }
  const backend = createWebGpuBackend();
  const rows = [];
  let info;
  for (const k of kernels) {
    ctx.log(`webgpu ${k.label}`);
    const { graph, shapes } = compileKiln(k.source, `${k.name}.kiln`);
    const weights = initWeights(graph, shapes, 42);
    const r = await row(
      backend,
      k.label,
      graph,
      weights,
      seededInputs(graph),
      ctx.plan.small,
      k.flops,
    );
    rows.push(r.cells);
    info = r.info;
  }
  for (const m of models) {
    ctx.log(`webgpu ${m.label}`);
    const model = exampleModel(ctx.root, m.name);
    const inputs = seededInputs(model.graph);
    const r = await row(backend, m.label, model.graph, model.weights, inputs, ctx.plan[m.cost]);
    rows.push(r.cells);
    info = r.info;
  }
  const details = info?.details ?? {};
  return {
    id,
    title: 'WebGPU (Dawn)',
    note:
      `Kiln's WebGPU backend through \`session.run\` (inputs written, one submission, outputs ` +
      `read back), on adapter ${details.adapter} (${details.adapterDescription}; fallback ` +
      `adapter: ${details.fallbackAdapter}). Pipelines are compiled by the untimed first run. ` +
      '"check" is the largest difference to the CPU backend relative to its largest magnitude ' +
      `(must be ≤ ${TOLERANCE}). On SwiftShader (a CPU emulation of a GPU, as here without ` +
      'one) these figures only show that the backend runs.',
    header,
    rows,
    goals: [],
    notes: [],
  };
}
