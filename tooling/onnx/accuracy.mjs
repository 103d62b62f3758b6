// Test accuracy of an exported classifier in onnxruntime, on an IDX test set (gzipped or not):
// the check that a model trained by `kiln train` and written by `kiln export --weights` scores
// the same outside Kiln.
//
//   node tooling/onnx/accuracy.mjs MODEL.onnx DATA_DIR
//
// Pixels are scaled to [0, 1] as Kiln's IDX loader does, and shaped as the model's input
// ([N, 784] or [N, 1, 28, 28]); the predicted class is the argmax of the first output.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import ort from 'onnxruntime-node';

function readIdx(dir, base) {
  const path = [join(dir, `${base}.gz`), join(dir, base)].find((p) => existsSync(p));
  if (!path) throw new Error(`${dir}: no ${base}[.gz]`);
  const raw = readFileSync(path);
  const bytes = path.endsWith('.gz') ? gunzipSync(raw) : raw;
  const rank = bytes[3];
  const dims = Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  return { dims, values: bytes.subarray(4 + 4 * rank) };
}

async function main() {
  const [model, dir] = process.argv.slice(2);
  if (!model || !dir) {
    console.error('usage: node tooling/onnx/accuracy.mjs MODEL.onnx DATA_DIR');
    process.exit(2);
  }
  const images = readIdx(dir, 't10k-images-idx3-ubyte');
  const labels = readIdx(dir, 't10k-labels-idx1-ubyte');
  const [count, h, w] = images.dims;
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  const input = session.inputNames[0];
  const output = session.outputNames[0];
  const rank = session.inputMetadata?.[0]?.shape?.length ?? 4;
  const batch = 500;
  let correct = 0;
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const data = new Float32Array(n * h * w);
    for (let i = 0; i < data.length; i++) data[i] = images.values[start * h * w + i] / 255;
    const shape = rank === 2 ? [n, h * w] : [n, 1, h, w];
    const result = await session.run({ [input]: new ort.Tensor('float32', data, shape) });
    const scores = result[output].data;
    const classes = scores.length / n;
    for (let s = 0; s < n; s++) {
      let best = 0;
      for (let c = 1; c < classes; c++) {
        if (scores[s * classes + c] > scores[s * classes + best]) best = c;
      }
      if (best === labels.values[start + s]) correct++;
    }
  }
  console.log(JSON.stringify({ model, samples: count, accuracy: correct / count }));
}

await main();
