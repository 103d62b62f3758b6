/**
 * onnxruntime-node for the ONNX tests. It is a dev dependency of this package only, so the
 * cross-package tests under the root test/ folder reach it through this file, which resolves it
 * from here.
 */
export * as ort from 'onnxruntime-node';
