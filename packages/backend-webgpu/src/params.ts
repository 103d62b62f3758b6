/**
 * The parameters of a prepared run: every dispatch's uniform words (program.ts encodes them) in
 * one uniform buffer, each at an offset the device accepts for a dynamic slice, written once
 * when the shapes are prepared.
 */
import { BufferUsage } from './flags.js';
import type { Dispatch } from './kernels/types.js';
import { encodeParams } from './wgsl/program.js';

export interface ParamBuffer {
  readonly buffer: GPUBuffer;
  /** Byte offset and length of each dispatch's words. */
  readonly offsets: readonly number[];
  readonly bytes: readonly number[];
}

export function uploadParams(
  device: GPUDevice,
  label: string,
  dispatches: readonly Dispatch[],
  align: number,
): ParamBuffer {
  const words = dispatches.map((d) => encodeParams(d.program, d.shapes, d.scalars ?? {}));
  let cursor = 0;
  const offsets = words.map((w) => {
    const at = cursor;
    cursor = Math.ceil((at + w.byteLength) / align) * align;
    return at;
  });
  const buffer = device.createBuffer({
    label,
    size: Math.max(16, cursor),
    usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
  });
  words.forEach((w, i) => device.queue.writeBuffer(buffer, offsets[i]!, w));
  return { buffer, offsets, bytes: words.map((w) => w.byteLength) };
}
