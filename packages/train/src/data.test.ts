import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './data/csv.js';
import { idxDataset, parseIdx } from './data/idx.js';

function idx(dims: number[], values: number[]): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  head.set([0, 0, 8, dims.length]);
  const view = new DataView(head.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(head.length + values.length);
  out.set(head);
  out.set(values, head.length);
  return out;
}

describe('IDX', () => {
  const images = idx([2, 2, 2], [0, 255, 51, 102, 1, 2, 3, 4]);
  const labels = idx([2], [3, 7]);

  it('reads plain and gzipped files alike, scaling images to [0, 1]', () => {
    const plain = parseIdx('a', images);
    const zipped = parseIdx('a.gz', gzipSync(images));
    expect(zipped.dims).toEqual([2, 2, 2]);
    expect([...zipped.values]).toEqual([...plain.values]);
    const d = idxDataset('i', plain, 'l', parseIdx('l', labels));
    expect(d.sampleShape).toEqual([2, 2]);
    expect([...d.features.subarray(0, 4)]).toEqual([0, 1, 0.2, 0.4].map(Math.fround));
    expect([...d.labels]).toEqual([3, 7]);
  });

  it('names a truncated file and how much is missing', () => {
    expect(() => parseIdx('img', images.subarray(0, images.length - 3))).toThrow(
      'img: truncated: the header declares [2, 2, 2] = 8 values, the file holds 5',
    );
    expect(() => parseIdx('img.gz', gzipSync(images).subarray(0, 20))).toThrow(
      /img\.gz: cannot decompress/,
    );
    expect(() => parseIdx('img', images.subarray(0, 6))).toThrow(/truncated IDX header/);
  });

  it('refuses files that are not IDX, and labels that do not match the images', () => {
    expect(() => parseIdx('x', new TextEncoder().encode('hello'))).toThrow(/not an IDX file/);
    expect(() =>
      idxDataset('i', parseIdx('i', images), 'l', parseIdx('l', idx([3], [1, 2, 3]))),
    ).toThrow('l: 3 labels do not match the 2 images of i');
  });
});

describe('CSV', () => {
  it('reads a label column and features, with or without a header', () => {
    const d = parseCsv('t.csv', 'label,a,b\n1,0.5,2\n0,-1,3\n\n');
    expect(d.count).toBe(2);
    expect(d.sampleShape).toEqual([2]);
    expect([...d.features]).toEqual([0.5, 2, -1, 3]);
    expect([...d.labels]).toEqual([1, 0]);
  });

  it('names the line of a bad row', () => {
    expect(() => parseCsv('t.csv', '1,2,3\n0,x,3\n')).toThrow(
      't.csv:2: column 2 is not a finite number: `x`',
    );
    expect(() => parseCsv('t.csv', '1,2,3\n0,3\n')).toThrow('t.csv:2: 2 columns, expected 3');
    expect(() => parseCsv('t.csv', '1.5,2\n')).toThrow(/label `1.5` is not a non-negative integer/);
    expect(() => parseCsv('t.csv', '')).toThrow('t.csv: no data rows');
  });
});
