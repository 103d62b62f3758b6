/**
 * Tensors as ONNX stores them: float32 weights as little-endian raw bytes, named `<node>.<param>`.
 * On a little-endian host (every common one) the bytes are a view of the Float32Array, so a
 * weight is never copied on its way to the file; a big-endian host gets a swapped copy.
 */
import type { Tensor } from '@kiln/core';
import type { OnnxTypes } from './proto.js';
import { onnx } from './proto.js';

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The little-endian bytes of float32 values. */
export function float32Bytes(data: Float32Array): Uint8Array {
  if (littleEndianHost) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i]!, true);
  return out;
}

/** The little-endian bytes of int64 values (all within ±2^53). */
export function int64Bytes(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(8 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
  return out;
}

/** A TensorProto without its payload: what the model file holds about a weight besides bytes. */
export function weightHeader(name: string, tensor: Tensor): OnnxTypes.ITensorProto {
  return { name, dims: [...tensor.shape], dataType: onnx.TensorProto.DataType.FLOAT };
}

/** A small constant tensor (reshape targets, GELU's coefficients), stored inline. */
export function int64Tensor(name: string, values: readonly number[]): OnnxTypes.ITensorProto {
  return {
    name,
    dims: [values.length],
    dataType: onnx.TensorProto.DataType.INT64,
    rawData: int64Bytes(values),
  };
}

/** A float32 scalar (rank 0), broadcast against any tensor by elementwise ops. */
export function scalarTensor(name: string, value: number): OnnxTypes.ITensorProto {
  return {
    name,
    dims: [],
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: float32Bytes(Float32Array.of(value)),
  };
}
