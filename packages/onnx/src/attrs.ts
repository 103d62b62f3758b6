/**
 * AttributeProto builders. Each sets `type`: onnxruntime rejects an attribute without it, and
 * protobuf cannot tell an unset int from a zero one.
 */
import type { OnnxTypes } from './proto.js';
import { onnx } from './proto.js';

const T = onnx.AttributeProto.AttributeType;
type Attr = OnnxTypes.IAttributeProto;

export const intAttr = (name: string, i: number): Attr => ({ name, type: T.INT, i });
export const intsAttr = (name: string, ints: readonly number[]): Attr => ({
  name,
  type: T.INTS,
  ints: [...ints],
});
export const floatAttr = (name: string, f: number): Attr => ({ name, type: T.FLOAT, f });
export const stringAttr = (name: string, s: string): Attr => ({
  name,
  type: T.STRING,
  s: new TextEncoder().encode(s),
});
export const tensorAttr = (name: string, t: OnnxTypes.ITensorProto): Attr => ({
  name,
  type: T.TENSOR,
  t,
});
