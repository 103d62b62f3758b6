/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of JSON mapping each
 * tensor name to {dtype, shape, data_offsets: [begin, end]} (offsets into the data that follows
 * the header) plus an optional "__metadata__" of strings, then the raw little-endian data.
 *
 * Only F32 is read and written (Kiln's one dtype). Decoding never returns views into the
 * caller's bytes: tensors are copied, which also handles offsets that are not 4-byte aligned.
 * Every malformed input fails with a `weights/corrupt` diagnostic, never a raw RangeError.
 */
import type { Tensor, Weights } from '../backend/types.js';
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import { duplicateKey } from './duplicate-key.js';

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function corrupt(message: string): DiagnosticError {
  return new DiagnosticError([error('weights/corrupt', `safetensors: ${message}`)]);
}

/**
 * Encodes tensors in name order (so equal weights give equal bytes). The header is padded with
 * spaces to a multiple of 8 bytes so the data, and every F32 tensor in it, starts aligned.
 */
export function encodeSafetensors(
  weights: Weights,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const names = [...weights.keys()].sort();
  const header: Record<string, unknown> = {};
  if (metadata) header['__metadata__'] = metadata;
  let offset = 0;
  for (const name of names) {
    const t = weights.get(name)!;
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) {
      throw new Error(
        `encodeSafetensors: \`${name}\` has shape [${t.shape}] but ${t.data.length} values`,
      );
    }
    header[name] = {
      dtype: 'F32',
      shape: [...t.shape],
      data_offsets: [offset, offset + 4 * count],
    };
    offset += 4 * count;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const withSpaces = new Uint8Array(padded).fill(0x20);
    withSpaces.set(json);
    json = withSpaces;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  const dataStart = 8 + json.length;
  for (const name of names) {
    const t = weights.get(name)!;
    const [begin] = (header[name] as { data_offsets: [number, number] }).data_offsets;
    for (let i = 0; i < t.data.length; i++) {
      view.setFloat32(dataStart + begin + 4 * i, t.data[i]!, true);
    }
  }
  return out;
}

interface Entry {
  readonly name: string;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function parseEntry(name: string, raw: unknown, dataLength: number): Entry {
  if (typeof raw !== 'object' || raw === null) throw corrupt(`entry \`${name}\` is not an object`);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (dtype !== 'F32') {
    throw corrupt(`tensor \`${name}\` has dtype ${JSON.stringify(dtype)}; Kiln reads F32 only`);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw corrupt(`tensor \`${name}\` has an invalid shape ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw corrupt(`tensor \`${name}\` has invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const count = shape.reduce((a: number, b: number) => a * b, 1);
  if (end < begin || end - begin !== 4 * count) {
    throw corrupt(
      `tensor \`${name}\` of shape [${shape.join(', ')}] needs ${4 * count} bytes, ` +
        `its data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  if (end > dataLength) {
    throw corrupt(
      `tensor \`${name}\` ends at byte ${end} of the data, which has only ${dataLength} bytes ` +
        '(truncated file?)',
    );
  }
  return { name, shape: shape as number[], begin, end };
}

/**
 * The format requires the tensors, sorted by offset, to cover the data exactly: no overlap, no
 * hole, nothing after the last one (alignment padding belongs in the header, as spaces). Bytes
 * that belong to no tensor mean a header and data that do not go together, e.g. a tensor
 * dropped from the header or data appended to the file. Positions are given in the data and
 * in the file, for a hex dump.
 */
function checkCoverage(entries: readonly Entry[], dataStart: number, dataLength: number): void {
  const at = (offset: number) => `byte ${offset} of the data (${dataStart + offset} of the file)`;
  let end = 0;
  let last: Entry | undefined;
  for (const e of entries) {
    if (last && e.begin < end) {
      throw corrupt(`tensors \`${last.name}\` and \`${e.name}\` overlap`);
    }
    if (e.begin > end) {
      throw corrupt(
        last
          ? `${e.begin - end} bytes between tensors \`${last.name}\` (ends at ${at(end)}) and ` +
              `\`${e.name}\` (starts at ${at(e.begin)}) belong to no tensor`
          : `the first tensor, \`${e.name}\`, starts at ${at(e.begin)}; the ${e.begin} bytes ` +
              'before it belong to no tensor',
      );
    }
    end = e.end;
    last = e;
  }
  if (dataLength > end) {
    throw corrupt(
      `${dataLength - end} bytes after the last tensor` +
        (last ? ` (\`${last.name}\`, which ends at ${at(end)})` : ' (the header names none)') +
        ` belong to no tensor; the data is ${dataLength} bytes`,
    );
  }
}

/** The format keeps string values only; readers of the metadata count on it. */
function checkMetadata(meta: unknown): void {
  if (meta === undefined || meta === null) return;
  if (typeof meta !== 'object' || Array.isArray(meta)) {
    throw corrupt('`__metadata__` is not an object of strings');
  }
  for (const [key, value] of Object.entries(meta)) {
    if (typeof value !== 'string') {
      throw corrupt(
        `\`__metadata__\` holds ${JSON.stringify(value)} under \`${key}\`, not a string`,
      );
    }
  }
}

/** Decodes a safetensors file into weights (copies). */
export function decodeSafetensors(bytes: Uint8Array): Map<string, Tensor> {
  if (bytes.length < 8) {
    throw corrupt(`file is ${bytes.length} bytes; it must start with an 8-byte header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const headerLength = high * 2 ** 32 + low;
  if (headerLength > bytes.length - 8) {
    throw corrupt(
      `header claims ${headerLength} bytes, but only ${bytes.length - 8} follow the length ` +
        '(truncated or not a safetensors file)',
    );
  }
  let header: unknown;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
    header = JSON.parse(text);
  } catch (e) {
    throw corrupt(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw corrupt('header is not a JSON object');
  }
  const twice = duplicateKey(text);
  if (twice) {
    const key = twice[twice.length - 1]!;
    throw corrupt(
      twice.length === 1
        ? `the header names \`${key}\` twice (a JSON reader keeps only the last)`
        : `the header's \`${twice.slice(0, -1).join('.')}\` has the key \`${key}\` twice`,
    );
  }
  checkMetadata((header as Record<string, unknown>)['__metadata__']);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  // By end too: an empty tensor at the offset where another starts overlaps nothing.
  const entries = Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, raw]) => parseEntry(name, raw, dataLength))
    .sort((a, b) => a.begin - b.begin || a.end - b.end);
  checkCoverage(entries, dataStart, dataLength);
  const out = new Map<string, Tensor>();
  for (const e of entries) {
    const count = (e.end - e.begin) / 4;
    const at = bytes.byteOffset + dataStart + e.begin;
    let data: Float32Array;
    if (LITTLE_ENDIAN_HOST && at % 4 === 0) {
      data = new Float32Array(bytes.buffer, at, count).slice();
    } else if (LITTLE_ENDIAN_HOST) {
      // Unaligned: copy the bytes to a fresh (aligned) buffer, then view them. `subarray` and an
      // explicit copy, because a Node Buffer's `slice` is a view whose `.buffer` is the whole file.
      const copy = new Uint8Array(e.end - e.begin);
      copy.set(bytes.subarray(dataStart + e.begin, dataStart + e.end));
      data = new Float32Array(copy.buffer);
    } else {
      data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(dataStart + e.begin + 4 * i, true);
    }
    out.set(e.name, { dtype: 'f32', shape: e.shape, data });
  }
  return out;
}

/** The `__metadata__` strings of a safetensors file, if any (for provenance). */
export function safetensorsMetadata(bytes: Uint8Array): Record<string, string> {
  decodeSafetensors(bytes); // validates the whole file first
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
    string,
    unknown
  >;
  return (header['__metadata__'] as Record<string, string> | undefined) ?? {};
}
