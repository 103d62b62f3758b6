/**
 * The IDX format of MNIST and Fashion-MNIST: two zero bytes, a type byte (0x08: unsigned
 * bytes), the number of dimensions, each dimension as a big-endian uint32, then the values.
 * Gzipped files (magic 1f 8b) are inflated first. Images are scaled to [0, 1].
 */
import { gunzipSync } from 'node:zlib';
import { DataError } from '../errors.js';
import type { Dataset } from './dataset.js';

export interface IdxArray {
  readonly dims: readonly number[];
  readonly values: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

function inflate(file: string, bytes: Uint8Array): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new DataError(
      file,
      `cannot decompress (truncated or corrupt gzip): ${(e as Error).message}`,
    );
  }
}

export function parseIdx(file: string, raw: Uint8Array): IdxArray {
  const bytes = inflate(file, raw);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError(file, 'not an IDX file (it must start with two zero bytes)');
  }
  if (bytes[2] !== UNSIGNED_BYTE) {
    throw new DataError(
      file,
      `IDX element type 0x${bytes[2]!.toString(16)} is not supported (only unsigned bytes, 0x08)`,
    );
  }
  const rank = bytes[3]!;
  if (rank === 0) throw new DataError(file, 'the IDX header declares 0 dimensions');
  if (bytes.length < 4 + 4 * rank) {
    throw new DataError(
      file,
      `truncated IDX header (${bytes.length} bytes for ${rank} dimensions)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  if (bytes.length - start < count) {
    throw new DataError(
      file,
      `truncated: the header declares [${dims.join(', ')}] = ${count} values, the file holds ${bytes.length - start}`,
    );
  }
  if (bytes.length - start > count) {
    throw new DataError(
      file,
      `${bytes.length - start - count} bytes after the declared [${dims.join(', ')}] values`,
    );
  }
  return { dims, values: bytes.subarray(start, start + count) };
}

/** Pairs an image file ([count, h, w]) with a label file ([count]). */
export function idxDataset(
  imagesFile: string,
  images: IdxArray,
  labelsFile: string,
  labels: IdxArray,
): Dataset {
  if (images.dims.length < 2) {
    throw new DataError(
      imagesFile,
      `expected images [count, ...], got [${images.dims.join(', ')}]`,
    );
  }
  if (labels.dims.length !== 1) {
    throw new DataError(labelsFile, `expected labels [count], got [${labels.dims.join(', ')}]`);
  }
  const count = images.dims[0]!;
  if (labels.dims[0] !== count) {
    throw new DataError(
      labelsFile,
      `${labels.dims[0]} labels do not match the ${count} images of ${imagesFile}`,
    );
  }
  // Training on nothing would report NaN losses and write untrained weights as if all went well.
  if (count === 0) throw new DataError(imagesFile, 'holds no images (its count is 0)');
  const features = new Float32Array(images.values.length);
  for (let i = 0; i < features.length; i++) features[i] = images.values[i]! / 255;
  return {
    source: imagesFile,
    labelSource: labelsFile,
    count,
    sampleShape: images.dims.slice(1),
    features,
    labels: Int32Array.from(labels.values),
  };
}
