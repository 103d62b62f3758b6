/**
 * ONNX external data: past protobuf's 2 GB message limit, weights live in a side file. Each
 * such tensor has data_location EXTERNAL and string entries `location` (the side file, relative
 * to the model file's folder), `offset` and `length` in bytes. Tensors are laid out back to back,
 * each starting on a 64-byte boundary so that a reader mapping the file sees aligned floats.
 */
import type { OnnxTypes } from './proto.js';
import { onnx } from './proto.js';

/** Total weight bytes above which the weights go to a side file: safely under 2^31. */
export const EXTERNAL_ABOVE = 2_000_000_000;

const ALIGN = 64;

export interface Placement {
  readonly offset: number;
  readonly length: number;
}

/** Offsets of tensors of the given byte lengths, in order; `size` is the side file's length. */
export function placeTensors(lengths: readonly number[]): { places: Placement[]; size: number } {
  let at = 0;
  const places = lengths.map((length) => {
    at = Math.ceil(at / ALIGN) * ALIGN;
    const place = { offset: at, length };
    at += length;
    return place;
  });
  return { places, size: at };
}

/** The header of a tensor whose bytes sit in the side file at `place`. */
export function externalHeader(
  header: OnnxTypes.ITensorProto,
  location: string,
  place: Placement,
): OnnxTypes.ITensorProto {
  return {
    ...header,
    dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: String(place.offset) },
      { key: 'length', value: String(place.length) },
    ],
  };
}

/** The zero bytes that bring the side file from `at` to `offset`. */
export function padding(at: number, offset: number): Uint8Array | undefined {
  return offset > at ? new Uint8Array(offset - at) : undefined;
}
