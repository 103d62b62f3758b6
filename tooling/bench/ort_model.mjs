// Whole models on onnxruntime, through Kiln's own exporter (@kiln/onnx). While the exporter is
// missing or refuses a model, the ORT column says why instead of showing a number.
import * as kilnOnnx from '@kiln/onnx';
import { ort, ortSession } from './peers.mjs';

/**
 * An onnxruntime runner for the graph, `{ run(inputs) -> Float32Array }`, or `{ reason }` when
 * no ONNX model could be made or loaded.
 */
export async function ortModel(graph, shapes, weights) {
  if (typeof kilnOnnx.exportOnnx !== 'function') return { reason: 'n/a (exporter not built)' };
  let bytes;
  try {
    bytes = kilnOnnx.exportOnnx(graph, shapes, weights);
  } catch (e) {
    return { reason: `n/a (export failed: ${e.message})` };
  }
  let session;
  try {
    session = await ortSession(bytes);
  } catch (e) {
    return { reason: `n/a (onnxruntime refused the model: ${e.message.split('\n')[0]})` };
  }
  const output = graph.outputs[0];
  return {
    bytes: bytes.length,
    feeds(inputs) {
      const out = {};
      for (const [name, t] of Object.entries(inputs)) {
        out[name] = new ort.Tensor('float32', t.data, t.shape);
      }
      return out;
    },
    async run(feeds) {
      const result = await session.run(feeds);
      return (result[output] ?? Object.values(result)[0]).data;
    },
    release: () => session.release(),
  };
}
