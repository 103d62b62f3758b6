/**
 * CSV data: one sample per line, the integer label in the first column, then the features
 * (as in the Kaggle MNIST CSVs). Blank lines are skipped. Every row must have the same number of
 * columns.
 *
 * Numbers are decimal only: an optional sign, digits, an optional fraction and exponent, with
 * spaces around them allowed. JavaScript's Number() would also read `0x10` as 16, `0b1`, `0o7`,
 * `Infinity`, and an empty or blank cell as 0; in a data file each of those is a mistake, so it
 * is refused with its line and column. A value float32 cannot hold is refused too, rather than
 * stored as Infinity.
 *
 * A first line none of whose cells is a number is taken as a header. A first line with numbers
 * in it is data, so a bad cell there is an error rather than a row silently dropped as a header.
 */
import { DataError } from '../errors.js';
import type { Dataset } from './dataset.js';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Labels go into an Int32Array. */
const LABEL_MAX = 2 ** 31 - 1;

interface Cell {
  readonly text: string;
  /** 1-based character column of the cell's text in its line, for messages. */
  readonly column: number;
}

function splitCells(line: string): Cell[] {
  const cells: Cell[] = [];
  let start = 0;
  for (const raw of line.split(',')) {
    const text = raw.trim();
    // A blank cell is pointed at where it starts.
    const lead = text === '' ? 0 : raw.length - raw.trimStart().length;
    cells.push({ text, column: start + lead + 1 });
    start += raw.length + 1;
  }
  return cells;
}

/** Why a cell is not a float32 number, or undefined when it is one. */
function badNumber(text: string): string | undefined {
  if (text === '') return 'is empty';
  if (!DECIMAL.test(text)) return `is not a decimal number: \`${text}\``;
  if (!Number.isFinite(Math.fround(Number(text)))) {
    return `\`${text}\` is beyond the float32 range`;
  }
  return undefined;
}

export function parseCsv(file: string, text: string): Dataset {
  const rows: number[][] = [];
  let header: string[] | undefined;
  let width = -1;
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const cells = splitCells(line);
    const at = (k: number) => `${file}:${index + 1}:${cells[k]!.column}`;
    const bad = cells.map((c) => badNumber(c.text));
    if (width < 0 && bad.every((b) => b !== undefined)) {
      header = cells.map((c) => c.text);
      width = cells.length;
      return;
    }
    const k = bad.findIndex((b) => b !== undefined);
    if (k >= 0) {
      const name = header?.[k] ? ` (\`${header[k]}\`)` : '';
      throw new DataError(at(k), `column ${k + 1}${name} ${bad[k]}`);
    }
    if (width >= 0 && cells.length !== width) {
      throw new DataError(`${file}:${index + 1}`, `${cells.length} columns, expected ${width}`);
    }
    width = cells.length;
    const values = cells.map((c) => Number(c.text));
    const label = values[0]!;
    if (!Number.isInteger(label) || label < 0) {
      throw new DataError(at(0), `the label \`${cells[0]!.text}\` is not a non-negative integer`);
    }
    if (label > LABEL_MAX) {
      throw new DataError(at(0), `the label \`${cells[0]!.text}\` is above ${LABEL_MAX}`);
    }
    rows.push(values);
  });
  if (rows.length === 0) throw new DataError(file, 'no data rows');
  if (width < 2) throw new DataError(file, 'each row needs a label and at least one feature');
  const size = width - 1;
  const features = new Float32Array(rows.length * size);
  const labels = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    labels[i] = r[0]!;
    for (let k = 1; k < width; k++) features[i * size + k - 1] = r[k]!;
  });
  return { source: file, count: rows.length, sampleShape: [size], features, labels };
}
