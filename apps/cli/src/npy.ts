/**
 * `.npy` inputs: @kiln/core's decodeNpy reads the file, rounding every value to the nearest
 * float32 and refusing one past float32's range; here its errors get the file's path.
 */
import type { Tensor } from '@kiln/core';
import { decodeNpy, NpyError } from '@kiln/core';
import { UserError } from './io.js';

export function readNpy(path: string, bytes: Uint8Array): Tensor {
  try {
    return decodeNpy(bytes);
  } catch (e) {
    if (e instanceof NpyError) throw new UserError(`error: ${path}: ${e.message}`);
    throw e;
  }
}
