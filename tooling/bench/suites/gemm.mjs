// GEMM: Kiln's packed micro-kernel against tfjs-backend-cpu's matMul and onnxruntime's MatMul.
// The headline Kiln figure packs both operands inside the timed region, as tfjs must; the
// prepacked figure packs only A, which is what a dense layer pays per run (its weight is packed
// once at compile time).
import { gemm, packA, packB } from '@kiln/backend-cpu';
import { gflops, timings } from '../measure.mjs';
import { relativeDiff, seededUniform } from '../data.mjs';
import { fmtDiff, fmtGflops, fmtMs, fmtRatio } from '../format.mjs';
import { matmulModel } from '../onnx_tiny.mjs';
import { ort, ortSession, tfjsCpu } from '../peers.mjs';
import {
  kilnWasmBackend,
  kilnWasmDense,
  kilnWasmGemm,
  kilnWasmTwoThreads,
  tfjsWasm,
} from '../wasm.mjs';

const SIZES = [
  { name: '512x512x512', label: '512³', m: 512, k: 512, n: 512 },
  { name: '64x784x4096', label: '64×784×4096', m: 64, k: 784, n: 4096 },
];
const GOAL = 3;
/** The WASM backend's goals (issue #6): GFLOP/s on one thread and speed over tfjs-wasm. */
const WASM_GFLOPS = 40;
const WASM_OVER_TFJS = 1.4;
const WASM_TWO_THREADS = 70;

/** C = A·B with A m x k and B k x n row-major, packing both; a fresh C, as tfjs returns. */
function kilnMatmul(m, k, n, a, b) {
  const c = new Float32Array(m * n);
  gemm(packA(m, k, a, 0, k, 1), packB(k, n, b, 0, n, 1), c, 0, n);
  return c;
}

async function oneSize({ label, m, k, n }, ctx) {
  const tf = await tfjsCpu();
  const a = seededUniform(m * k, 'gemm.a');
  const b = seededUniform(k * n, 'gemm.b');
  const flops = 2 * m * k * n;
  const ta = tf.tensor2d(a, [m, k]);
  const tb = tf.tensor2d(b, [k, n]);
  const tfjsOut = () => {
    const c = tf.matMul(ta, tb);
    const data = c.dataSync();
    c.dispose();
    return data;
  };
  const session = await ortSession(matmulModel(m, k, n));
  const feeds = {
    A: new ort.Tensor('float32', a, [m, k]),
    B: new ort.Tensor('float32', b, [k, n]),
  };
  const ortOut = async () => (await session.run(feeds)).C.data;

  const reference = kilnMatmul(m, k, n, a, b);
  const diffTf = relativeDiff(tfjsOut(), reference);
  const diffOrt = relativeDiff(await ortOut(), reference);

  const packedB = packB(k, n, b, 0, n, 1);
  const prepacked = () => {
    const c = new Float32Array(m * n);
    gemm(packA(m, k, a, 0, k, 1), packedB, c, 0, n);
    return c;
  };
  ctx.log(`gemm ${label}: kiln`);
  const kiln = await timings(() => kilnMatmul(m, k, n, a, b), ctx.plan.small);
  const kilnPre = await timings(prepacked, ctx.plan.small);
  ctx.log(`gemm ${label}: tfjs`);
  const tfjs = await timings(tfjsOut, ctx.plan.small);
  ctx.log(`gemm ${label}: onnxruntime`);
  const onnx = await timings(ortOut, ctx.plan.small);
  ta.dispose();
  tb.dispose();
  await session.release();
  const wasm = await wasmRows({ label, m, k, n }, a, b, reference, ctx);
  await tf.setBackend('cpu');

  const row = (impl, t) => [
    label,
    impl,
    fmtMs(t.median),
    fmtGflops(gflops(flops, t.median)),
    fmtRatio(tfjs.median / t.median),
    String(t.runs),
  ];
  return {
    rows: [
      row('Kiln CPU (packs A and B)', kiln),
      row('Kiln CPU (B prepacked)', kilnPre),
      row('tfjs-backend-cpu tf.matMul', tfjs),
      row('onnxruntime-node MatMul', onnx),
      row('Kiln WASM (packs A and B)', wasm.both),
      row('Kiln WASM (B prepacked)', wasm.pre),
      row('Kiln WASM dense session.run, 1 thread', wasm.dense1),
      row(`Kiln WASM dense session.run, ${wasm.threads} threads`, wasm.dense2),
      row('tfjs-backend-wasm tf.matMul', wasm.tfjs),
    ],
    goals: [
      {
        goal: `GEMM ${label}: Kiln ≥ ${GOAL}× tfjs-backend-cpu's speed`,
        result: fmtRatio(tfjs.median / kiln.median),
        met: tfjs.median / kiln.median >= GOAL,
      },
      ...wasm.goals,
    ],
    notes: [
      `${label}: max relative difference to Kiln: tfjs ${fmtDiff(diffTf)}, onnxruntime ${fmtDiff(diffOrt)}; Kiln reaches ${fmtRatio(onnx.median / kiln.median)} of onnxruntime's speed`,
      wasm.note,
    ],
  };
}

/** Kiln's WASM GEMM and tfjs-backend-wasm's matMul, both checked against the CPU result. */
async function wasmRows({ label, m, k, n }, a, b, reference, ctx) {
  const flops = 2 * m * k * n;
  const kw = await kilnWasmGemm(m, k, n, a, b);
  const tf = await tfjsWasm();
  const ta = tf.tensor2d(a, [m, k]);
  const tb = tf.tensor2d(b, [k, n]);
  const tfjsOut = () => {
    const c = tf.matMul(ta, tb);
    const data = c.dataSync();
    c.dispose();
    return data;
  };
  const dense1 = await kilnWasmDense(kilnWasmBackend, m, k, n, a, b);
  const dense2 = await kilnWasmDense(kilnWasmTwoThreads, m, k, n, a, b);
  const diffKiln = Math.max(
    relativeDiff(kw.packBoth(), reference),
    relativeDiff(await dense1.run(), reference),
    relativeDiff(await dense2.run(), reference),
  );
  const diffTf = relativeDiff(tfjsOut(), reference);
  ctx.log(`gemm ${label}: kiln wasm`);
  const both = await timings(kw.packBoth, ctx.plan.small);
  const pre = await timings(kw.prepacked, ctx.plan.small);
  const d1 = await timings(dense1.run, ctx.plan.small);
  const d2 = await timings(dense2.run, ctx.plan.small);
  ctx.log(`gemm ${label}: tfjs wasm`);
  const tfjs = await timings(tfjsOut, ctx.plan.small);
  ta.dispose();
  tb.dispose();
  const rate = gflops(flops, both.median);
  const rate2 = gflops(flops, d2.median);
  return {
    both,
    pre,
    dense1: d1,
    dense2: d2,
    threads: dense2.threads,
    tfjs,
    goals: [
      {
        goal: `GEMM ${label}: Kiln WASM ≥ ${WASM_GFLOPS} GFLOP/s on one thread (packs A and B)`,
        result: fmtGflops(rate),
        met: rate >= WASM_GFLOPS,
      },
      {
        goal: `GEMM ${label}: Kiln WASM ≥ ${WASM_OVER_TFJS}× tfjs-backend-wasm's speed`,
        result: fmtRatio(tfjs.median / both.median),
        met: tfjs.median / both.median >= WASM_OVER_TFJS,
      },
      {
        goal: `GEMM ${label}: Kiln WASM ≥ ${WASM_TWO_THREADS} GFLOP/s on two threads (dense)`,
        result: `${fmtGflops(rate2)} (${dense2.threads} threads)`,
        met: rate2 >= WASM_TWO_THREADS,
      },
    ],
    note: `${label}: max relative difference to Kiln CPU: Kiln WASM ${fmtDiff(diffKiln)}, tfjs-backend-wasm ${fmtDiff(diffTf)}`,
  };
}

export const id = 'gemm';

export async function run(ctx) {
  const chosen = SIZES.filter((s) => ctx.selected(id, s.name));
  if (!chosen.length) return undefined;
  const results = [];
  for (const size of chosen) results.push(await oneSize(size, ctx));
  return {
    id,
    title: 'GEMM (single-precision matrix multiply)',
    note:
      'C = A·B, A m×k and B k×n, row-major, seeded uniform values. "Packs A and B" times the ' +
      'whole product: packing both operands into panels, a fresh zeroed C and the blocked ' +
      'micro-kernel, as tfjs matMul does the whole product. "B prepacked" packs B once outside ' +
      'the timed region, as a dense layer does at compile time (Kiln WASM packs B block by ' +
      'block, each block just before its products, inside the timed region). GFLOP/s counts ' +
      '2·m·k·n. ' +
      '"× tfjs" is tfjs time / this time (above 1: faster than tfjs). Each implementation is ' +
      'checked against Kiln before timing.',
    header: ['shape m×k×n', 'implementation', 'median', 'GFLOP/s', '× tfjs', 'runs'],
    rows: results.flatMap((r) => r.rows),
    goals: results.flatMap((r) => r.goals),
    notes: results.flatMap((r) => r.notes),
  };
}
