/**
 * CSV data: one sample per line, the integer label in the first column, then the features
 * (as in the Kaggle MNIST CSVs). A first line that is not numeric is taken as a header. Blank
 * lines are skipped. Every row must have the same number of columns.
 */
import { DataError } from '../errors.js';
import type { Dataset } from './dataset.js';

export function parseCsv(file: string, text: string): Dataset {
  const lines = text.split(/\r?\n/);
  const rows: number[][] = [];
  let width = -1;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const cells = line.split(',').map((c) => c.trim());
    const values = cells.map(Number);
    const bad = values.findIndex((v, k) => cells[k] === '' || !Number.isFinite(v));
    if (bad >= 0) {
      if (rows.length === 0 && width < 0) {
        width = cells.length; // a header line
        return;
      }
      throw new DataError(
        `${file}:${index + 1}`,
        `column ${bad + 1} is not a finite number: \`${cells[bad]}\``,
      );
    }
    if (width >= 0 && cells.length !== width) {
      throw new DataError(`${file}:${index + 1}`, `${cells.length} columns, expected ${width}`);
    }
    width = cells.length;
    const label = values[0]!;
    if (!Number.isInteger(label) || label < 0) {
      throw new DataError(
        `${file}:${index + 1}`,
        `the label \`${cells[0]}\` is not a non-negative integer`,
      );
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
