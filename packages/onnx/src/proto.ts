/**
 * The ONNX protobuf schema (onnx-proto, ONNX 1.10). The package is CommonJS: its namespace is
 * reached through the default import, since a named import type-checks but fails at run time.
 * Its typings name a global `Long` type, which `long`'s declarations provide.
 */
import type {} from 'long';
import pkg from 'onnx-proto';

export const { onnx } = pkg;
export type { onnx as OnnxTypes } from 'onnx-proto';
