/** ONNX export: a checked Kiln graph and its weights to an ONNX model onnxruntime can run. */
export { exportOnnx, exportOnnxFiles, writeOnnx, checkOpset } from './model.js';
export type { ExportOptions, ExportSummary, OnnxSink } from './model.js';
export { OnnxExportError } from './errors.js';
export type { OnnxErrorCode } from './errors.js';
export { DEFAULT_OPSET, MAX_OPSET, MIN_OPSET, irVersionFor } from './opset.js';
export { EXTERNAL_ABOVE } from './external.js';
