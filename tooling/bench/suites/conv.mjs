// One 3x3 convolution, [1, 64, 56, 56] -> 64 channels, pad 1, no bias: Kiln's CPU backend
// (im2col + packed GEMM, compiled through the Backend interface) against tfjs conv2d and
// onnxruntime's Conv.
import { gflops, timings } from '../measure.mjs';
import { nchwToNhwc, nhwcToNchw, relativeDiff } from '../data.mjs';
import { fmtDiff, fmtGflops, fmtMs, fmtRatio } from '../format.mjs';
import { WEIGHT_SEED, compileKiln, kilnSession, runFirst, seededInputs } from '../kiln.mjs';
import { initWeights } from '@kiln/core';
import { convModel } from '../onnx_tiny.mjs';
import { ort, ortSession, tfjsCpu } from '../peers.mjs';
import { convFilter } from '../tfjs_graph.mjs';
import { kilnWasmBackend, kilnWasmTwoThreads, kilnWasmWinograd2, tfjsWasm } from '../wasm.mjs';

const SOURCE = `model conv3x3 {
  input x: f32[1, 64, 56, 56]
  y = conv 64 kernel=3 pad=1 bias=false
}
`;
const [C, H, W, OUT] = [64, 56, 56, 64];
const FLOPS = 2 * OUT * H * W * C * 9;
/** Issue #6: the WASM backend within 2× of onnxruntime-node's single-thread time. */
const WASM_OF_ORT = 2;

export const id = 'conv';

export async function run(ctx) {
  if (!ctx.selected(id, '3x3-64x56x56')) return undefined;
  const { graph, shapes } = compileKiln(SOURCE, 'conv3x3.kiln');
  const weights = initWeights(graph, shapes, WEIGHT_SEED);
  const weight = weights.get('y.weight');
  const inputs = seededInputs(graph);
  const x = inputs.x;
  const session = await kilnSession(graph, weights);
  const reference = (await runFirst(session, graph, inputs)).data;

  const tf = await tfjsCpu();
  const tx = tf.tensor4d(nchwToNhwc(x.data, x.shape), [1, H, W, C]);
  const tw = tf.tensor4d(convFilter(weight.data, weight.shape), [3, 3, C, OUT]);
  const tfjsOut = () => {
    const y = tf.conv2d(tx, tw, 1, 1);
    const data = y.dataSync();
    y.dispose();
    return data;
  };
  const diffTf = relativeDiff(nhwcToNchw(tfjsOut(), [1, H, W, OUT]), reference);

  const ortS = await ortSession(convModel([1, C, H, W], weight.data, weight.shape, 1));
  const feeds = { X: new ort.Tensor('float32', x.data, x.shape) };
  const ortOut = async () => (await ortS.run(feeds)).Y.data;
  const diffOrt = relativeDiff(await ortOut(), reference);

  ctx.log('conv 3x3: kiln');
  const kiln = await timings(() => session.run(inputs), ctx.plan.small);
  ctx.log('conv 3x3: tfjs');
  const tfjs = await timings(tfjsOut, ctx.plan.small);
  ctx.log('conv 3x3: onnxruntime');
  const onnx = await timings(ortOut, ctx.plan.small);
  tx.dispose();
  tw.dispose();
  await ortS.release();
  const wasm = await wasmRows({ graph, weights, inputs, reference, x, weight }, ctx);
  await tf.setBackend('cpu');

  const row = (impl, t) => [
    impl,
    fmtMs(t.median),
    fmtGflops(gflops(FLOPS, t.median)),
    fmtRatio(tfjs.median / t.median),
    fmtRatio(onnx.median / t.median),
    String(t.runs),
  ];
  return {
    id,
    title: 'Conv 3×3, [1, 64, 56, 56] → 64 channels, pad 1',
    note:
      'One convolution without bias, seeded weights and input. Kiln compiles a one-conv graph ' +
      'through the Backend interface (`cpuBackend.compile`) and times `session.run` (im2col, ' +
      'packed GEMM with the weight packed at compile time, and the copy of the output). tfjs ' +
      'runs `tf.conv2d` in NHWC: input and filter are transposed once, outside the timed ' +
      'region. onnxruntime runs a one-node Conv model (NCHW) on one thread. The WASM rows run ' +
      'the same graph on the WASM backend: Winograd, the method in brackets (F(4×4, 3×3) by ' +
      "default on this map), and F(2×2, 3×3) with `winograd: '2x2'`. GFLOP/s counts " +
      `${(FLOPS / 1e6).toFixed(0)} MFLOP per call. "× tfjs" / "× ORT" are that peer's time / ` +
      'this time.',
    header: ['implementation', 'median', 'GFLOP/s', '× tfjs', '× ORT', 'runs'],
    rows: [
      row('Kiln CPU session.run', kiln),
      row('tfjs-backend-cpu tf.conv2d (NHWC)', tfjs),
      row('onnxruntime-node Conv', onnx),
      row(`Kiln WASM session.run (${wasm.method})`, wasm.kiln),
      row(`Kiln WASM session.run, ${wasm.threads} threads`, wasm.kiln2),
      row("Kiln WASM session.run, winograd: '2x2'", wasm.kilnCloser),
      row('tfjs-backend-wasm tf.conv2d (NHWC)', wasm.tfjs),
    ],
    goals: [
      {
        goal: `Kiln WASM within ${WASM_OF_ORT}× of onnxruntime-node's time (one thread)`,
        result: fmtRatio(wasm.kiln.median / onnx.median),
        met: wasm.kiln.median <= WASM_OF_ORT * onnx.median,
      },
    ],
    notes: [
      `max relative difference to Kiln: tfjs ${fmtDiff(diffTf)}, onnxruntime ${fmtDiff(diffOrt)}`,
      wasm.note,
    ],
  };
}

/** The same convolution on Kiln's WASM backend and on tfjs-backend-wasm. */
async function wasmRows({ graph, weights, inputs, reference, x, weight }, ctx) {
  const session = await kilnWasmBackend.compile(graph, weights);
  const session2 = await kilnWasmTwoThreads.compile(graph, weights);
  const closer = await kilnWasmWinograd2.compile(graph, weights);
  const diff = async (s) => relativeDiff((await runFirst(s, graph, inputs)).data, reference);
  const diffKiln = Math.max(await diff(session), await diff(session2));
  const diffCloser = await diff(closer);
  const tf = await tfjsWasm();
  const tx = tf.tensor4d(nchwToNhwc(x.data, x.shape), [1, H, W, C]);
  const tw = tf.tensor4d(convFilter(weight.data, weight.shape), [3, 3, C, OUT]);
  const tfjsOut = () => {
    const y = tf.conv2d(tx, tw, 1, 1);
    const data = y.dataSync();
    y.dispose();
    return data;
  };
  const diffTf = relativeDiff(nhwcToNchw(tfjsOut(), [1, H, W, OUT]), reference);
  ctx.log('conv 3x3: kiln wasm');
  const kiln = await timings(() => session.run(inputs), ctx.plan.small);
  const kiln2 = await timings(() => session2.run(inputs), ctx.plan.small);
  const kilnCloser = await timings(() => closer.run(inputs), ctx.plan.small);
  ctx.log('conv 3x3: tfjs wasm');
  const tfjs = await timings(tfjsOut, ctx.plan.small);
  tx.dispose();
  tw.dispose();
  return {
    kiln,
    kiln2,
    kilnCloser,
    method: session.info.details.conv,
    threads: session2.info.details.threads,
    tfjs,
    note:
      `max relative difference to Kiln CPU: Kiln WASM ${fmtDiff(diffKiln)} ` +
      `(winograd '2x2': ${fmtDiff(diffCloser)}), tfjs-backend-wasm ${fmtDiff(diffTf)}`,
  };
}
