import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './data/csv.js';
import { idxDataset, parseIdx } from './data/idx.js';
import { loadDataDir } from './data/load.js';

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

  it('names data that disagrees with the header: too much, too little, no dimensions', () => {
    const extra = new Uint8Array([...images, 9, 9]);
    expect(() => parseIdx('img', extra)).toThrow(
      'img: 2 bytes after the declared [2, 2, 2] values',
    );
    expect(() => parseIdx('img.gz', gzipSync(extra))).toThrow(/^img\.gz: 2 bytes after/);
    // The same bytes under a header that claims a third image.
    const claims = idx([3, 2, 2], [...images.subarray(16)]);
    expect(() => parseIdx('img', claims)).toThrow(
      'img: truncated: the header declares [3, 2, 2] = 12 values, the file holds 8',
    );
    expect(() => parseIdx('img', idx([], [1, 2]))).toThrow(
      'img: the IDX header declares 0 dimensions',
    );
    // Dimensions whose product no file can hold.
    expect(() => parseIdx('img', idx([0xffffffff, 0xffffffff], [1]))).toThrow(
      /^img: truncated: the header declares \[4294967295, 4294967295\] = .* values, the file holds 1$/,
    );
  });

  it('refuses files that are not IDX, and labels that do not match the images', () => {
    expect(() => parseIdx('x', new TextEncoder().encode('hello'))).toThrow(/not an IDX file/);
    expect(() =>
      idxDataset('i', parseIdx('i', images), 'l', parseIdx('l', idx([3], [1, 2, 3]))),
    ).toThrow('l: 3 labels do not match the 2 images of i');
  });
});

describe('loadDataDir', () => {
  /** A folder with a two-image IDX training and test set, plain or gzipped as `gz` says. */
  function idxDir(gz: (name: string) => boolean): string {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-data-'));
    for (const prefix of ['train', 't10k']) {
      const files: [string, Uint8Array][] = [
        [`${prefix}-images-idx3-ubyte`, idx([2, 1, 2], [0, 255, 255, 0])],
        [`${prefix}-labels-idx1-ubyte`, idx([2], [0, 1])],
      ];
      for (const [name, bytes] of files) {
        if (gz(name)) writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes));
        else writeFileSync(join(dir, name), bytes);
      }
    }
    return dir;
  }

  it('reads each IDX file plain or gzipped', () => {
    const mixed = loadDataDir(idxDir((name) => name.includes('labels')));
    expect(mixed.train.source).toMatch(/train-images-idx3-ubyte$/);
    expect(mixed.train.labelSource).toMatch(/train-labels-idx1-ubyte\.gz$/);
    expect([...mixed.test.labels]).toEqual([0, 1]);
  });

  it('refuses a folder with both a file and its gzipped copy, naming both', () => {
    const dir = idxDir(() => true);
    // Another picture than the gzipped one: which was meant cannot be told.
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idx([2, 1, 2], [1, 2, 3, 4]));
    expect(() => loadDataDir(dir)).toThrow(
      `${dir}: holds both \`t10k-images-idx3-ubyte\` and \`t10k-images-idx3-ubyte.gz\`; remove one of them`,
    );
  });

  it('says a path that is a file is not a directory', () => {
    const file = join(
      idxDir(() => true),
      'train-images-idx3-ubyte.gz',
    );
    expect(() => loadDataDir(file)).toThrow(
      `${file}: is a file, not a directory (give the folder holding the data)`,
    );
    expect(() => loadDataDir(join(file, 'x'))).toThrow(
      `${join(file, 'x')}: a parent of it is not a directory`,
    );
    expect(() => loadDataDir(join(file, '..', 'none'))).toThrow(/none: no such directory$/);
  });

  it("names a folder it cannot reach instead of failing with Node's error", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-data-'));
    symlinkSync('loop', join(dir, 'loop'));
    expect(() => loadDataDir(join(dir, 'loop'))).toThrow(
      `${join(dir, 'loop')}: too many levels of symbolic links`,
    );
  });

  it('refuses a folder holding both IDX and CSV files, naming both', () => {
    const dir = idxDir(() => true);
    writeFileSync(join(dir, 'train.csv'), '1,2\n');
    expect(() => loadDataDir(dir)).toThrow(
      `${dir}: holds both IDX files (\`t10k-images-idx3-ubyte.gz\`, \`t10k-labels-idx1-ubyte.gz\`, \`train-images-idx3-ubyte.gz\`, \`train-labels-idx1-ubyte.gz\`) and CSV files (\`train.csv\`); keep one kind of data in the folder`,
    );
    const other = idxDir(() => false);
    writeFileSync(join(other, 'notes.CSV'), '1,2\n');
    expect(() => loadDataDir(other)).toThrow(/and CSV files \(`notes\.CSV`\); keep one kind/);
  });

  it('refuses a data file that is not a regular file instead of blocking on it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-data-'));
    mkdirSync(join(dir, 'train.csv'));
    writeFileSync(join(dir, 'test.csv'), '1,2\n');
    expect(() => loadDataDir(dir)).toThrow(`${join(dir, 'train.csv')}: is not a regular file`);
    const fifo = mkdtempSync(join(tmpdir(), 'kiln-data-'));
    execFileSync('mkfifo', [join(fifo, 'train.csv')]);
    writeFileSync(join(fifo, 'test.csv'), '1,2\n');
    expect(() => loadDataDir(fifo)).toThrow(`${join(fifo, 'train.csv')}: is not a regular file`);
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
      't.csv:2:3: column 2 is not a decimal number: `x`',
    );
    expect(() => parseCsv('t.csv', '1,2,3\n0,3\n')).toThrow('t.csv:2: 2 columns, expected 3');
    expect(() => parseCsv('t.csv', '1.5,2\n')).toThrow(/label `1.5` is not a non-negative integer/);
    expect(() => parseCsv('t.csv', '')).toThrow('t.csv: no data rows');
  });

  it('reads decimal numbers only, in any decimal spelling', () => {
    const d = parseCsv('t.csv', '1, -1.5e-3 ,+.5,2.,1E2,-0\n');
    expect([...d.features]).toEqual([-1.5e-3, 0.5, 2, 100, -0].map(Math.fround));
  });

  it('refuses what Number() would read but a data file should not hold, naming line and column', () => {
    const cases: [string, string][] = [
      ['0x10', 'is not a decimal number: `0x10`'],
      ['0b1', 'is not a decimal number: `0b1`'],
      ['0o7', 'is not a decimal number: `0o7`'],
      ['Infinity', 'is not a decimal number: `Infinity`'],
      ['NaN', 'is not a decimal number: `NaN`'],
      ['1_000', 'is not a decimal number: `1_000`'],
      ['', 'is empty'],
      ['   ', 'is empty'],
      ['1e39', '`1e39` is beyond the float32 range'],
      ['1e400', '`1e400` is beyond the float32 range'],
    ];
    for (const [cell, why] of cases) {
      expect(() => parseCsv('t.csv', `a,b,c\n1,2,3\n0,1,${cell}\n`)).toThrow(
        `t.csv:3:5: column 3 (\`c\`) ${why}`,
      );
    }
    expect(() => parseCsv('t.csv', '1,2\n0x1,2\n')).toThrow(
      't.csv:2:1: column 1 is not a decimal number: `0x1`',
    );
  });

  it('takes a first line as a header only when none of its cells is a number', () => {
    // Both were once dropped as headers, losing a row and its mistake.
    expect(() => parseCsv('t.csv', '1,,2\n0,1,2\n')).toThrow('t.csv:1:3: column 2 is empty');
    expect(() => parseCsv('t.csv', '0x1,2\n1,2\n')).toThrow(
      't.csv:1:1: column 1 is not a decimal number: `0x1`',
    );
    expect(parseCsv('t.csv', 'label,x\n1,2\n').count).toBe(1);
  });

  it('refuses a label an Int32Array cannot hold', () => {
    expect(() => parseCsv('t.csv', '2147483648,1\n')).toThrow(
      't.csv:1:1: the label `2147483648` is above 2147483647',
    );
    expect(parseCsv('t.csv', '2147483647,1\n').labels[0]).toBe(2147483647);
  });
});
