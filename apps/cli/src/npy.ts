/**
 * `.npy` inputs. @kiln/core's decodeNpy converts every dtype it reads to float32 without a word:
 * a float64 value past float32's range becomes ±Infinity (refused later as "holds Infinity", a
 * value the file does not hold). Here such a file is refused, naming the first such value. Every
 * other value is rounded to the nearest float32 (int32 and int64 past 2^24 included; an int64
 * past 2^53 goes through the nearest float64 first), which is what converting to float32 means.
 */
import type { Tensor } from '@kiln/core';
import { decodeNpy, NpyError } from '@kiln/core';
import { UserError } from './io.js';

/** The dtype and data offset of a file decodeNpy has accepted (so its header is sound). */
function layout(bytes: Uint8Array): { descr: string; offset: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const v1 = bytes[6] === 1;
  const start = v1 ? 10 : 12;
  const length = v1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + length));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1] ?? '';
  return { descr, offset: start + length };
}

/** The first finite float64 that became ±Infinity in float32, with its flat index. */
function firstOverflow(t: Tensor, bytes: Uint8Array, offset: number) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < t.data.length; i++) {
    if (Number.isFinite(t.data[i]!)) continue;
    const value = view.getFloat64(offset + 8 * i, true);
    if (Number.isFinite(value)) return { index: i, value };
  }
  return undefined;
}

export function readNpy(path: string, bytes: Uint8Array): Tensor {
  let t: Tensor;
  try {
    t = decodeNpy(bytes);
  } catch (e) {
    if (e instanceof NpyError) throw new UserError(`error: ${path}: ${e.message}`);
    throw e;
  }
  const { descr, offset } = layout(bytes);
  const over = descr === '<f8' ? firstOverflow(t, bytes, offset) : undefined;
  if (over) {
    throw new UserError(
      `error: ${path}: the float64 value ${over.value} (flat index ${over.index}) does not fit ` +
        `float32, whose largest magnitude is about 3.4e38`,
    );
  }
  return t;
}
