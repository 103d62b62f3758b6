/**
 * Reads an exported file back with onnx-proto, as plain objects with int64 fields as numbers,
 * and the facts tests compare: initializer bytes, names, dims (dim_value or dim_param).
 */
import { onnx } from '../../packages/onnx/src/proto.js';

export interface DecodedTensor {
  name: string;
  dims: number[];
  dataType: number;
  rawData?: Uint8Array;
  dataLocation?: number;
  externalData?: { key: string; value: string }[];
}

export interface DecodedAttr {
  name: string;
  type: number;
  i?: number;
  f?: number;
  ints?: number[];
  s?: Uint8Array;
  t?: DecodedTensor;
}

export interface DecodedNode {
  name: string;
  opType: string;
  input: string[];
  output: string[];
  attribute?: DecodedAttr[];
}

export interface DecodedValueInfo {
  name: string;
  type: {
    tensorType: { elemType: number; shape: { dim: { dimValue?: number; dimParam?: string }[] } };
  };
}

export interface DecodedModel {
  irVersion: number;
  producerName: string;
  producerVersion?: string;
  opsetImport: { domain?: string; version: number }[];
  graph: {
    name: string;
    node: DecodedNode[];
    initializer?: DecodedTensor[];
    input: DecodedValueInfo[];
    output: DecodedValueInfo[];
  };
}

export function decodeModel(bytes: Uint8Array): DecodedModel {
  const message = onnx.ModelProto.decode(bytes);
  return onnx.ModelProto.toObject(message, { longs: Number, enums: Number }) as DecodedModel;
}

/** A value info's dims as the model spells them: numbers, or dim_param strings. */
export function dimsOf(info: DecodedValueInfo): (number | string)[] {
  return info.type.tensorType.shape.dim.map((d) => d.dimParam ?? d.dimValue!);
}

/** Whether an initializer's raw bytes are exactly the float32 values' little-endian bytes. */
export function sameFloatBytes(raw: Uint8Array, values: Float32Array): boolean {
  if (raw.length !== values.length * 4) return false;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  // Bit patterns, not values: -0 and NaN payloads must survive too.
  for (let i = 0; i < bits.length; i++) if (view.getUint32(4 * i, true) !== bits[i]) return false;
  return true;
}

export function attr(node: DecodedNode, name: string): DecodedAttr | undefined {
  return node.attribute?.find((a) => a.name === name);
}
