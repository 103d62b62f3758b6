/**
 * Just enough of protobuf's wire format to frame a message whose parts are written one after
 * another: a length-delimited field is a tag byte, a varint length, then the bytes. Writing a
 * model this way lets the weights go to the sink straight from their Float32Arrays, instead of
 * being gathered into one encoded buffer first.
 */

/** The tag of field `field` with wire type 2 (length-delimited); fits one byte below field 16. */
export const lengthDelimited = (field: number) => (field << 3) | 2;

export function varint(value: number): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  // Division, not shifts: lengths may pass 2^31, where JavaScript's shifts wrap.
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Uint8Array.from(bytes);
}

/** Tag and length of a length-delimited field whose payload is `length` bytes. */
export function fieldHeader(field: number, length: number): Uint8Array {
  const len = varint(length);
  const out = new Uint8Array(1 + len.length);
  out[0] = lengthDelimited(field);
  out.set(len, 1);
  return out;
}

/** A message as the chunks that make it up, in order, with their total length. */
export class Framed {
  readonly chunks: Uint8Array[] = [];
  length = 0;

  push(chunk: Uint8Array): this {
    this.chunks.push(chunk);
    this.length += chunk.length;
    return this;
  }

  /** Appends `inner` as field `field` of this message. */
  field(field: number, inner: Framed): this {
    this.push(fieldHeader(field, inner.length));
    for (const c of inner.chunks) this.push(c);
    return this;
  }
}
