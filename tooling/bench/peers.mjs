// The peers Kiln is measured against, loaded once: tfjs with its CPU backend, and
// onnxruntime-node on one thread (intraOpNumThreads: 1) for stable figures.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import ort from 'onnxruntime-node';

let tfReady;
export async function tfjsCpu() {
  // Production mode: no debug checks in the timed path, and no "install tfjs-node" banner.
  tfReady ??= tf
    .setBackend('cpu')
    .then(() => tf.ready())
    .then(() => tf.enableProdMode());
  await tfReady;
  return tf;
}

export async function ortSession(modelBytes) {
  return ort.InferenceSession.create(modelBytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
}

export { ort };
