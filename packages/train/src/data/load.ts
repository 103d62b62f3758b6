/**
 * Finds the training and test sets in a folder. Recognised layouts:
 * - IDX, as Fashion-MNIST ships: `train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`,
 *   `t10k-images-idx3-ubyte[.gz]`, `t10k-labels-idx1-ubyte[.gz]` (each plain or gzipped, not
 *   both);
 * - CSV: `train.csv` and `test.csv` (label first).
 * A folder holding both IDX and CSV files is refused: which set was meant cannot be told.
 * A missing test set is an error: the loop reports test loss and accuracy every epoch.
 */
import { join } from 'node:path';
import { DataError } from '../errors.js';
import { parseCsv } from './csv.js';
import type { Dataset } from './dataset.js';
import { listDataDir, readDataFile } from './files.js';
import { idxDataset, parseIdx } from './idx.js';

export interface DataSplits {
  readonly train: Dataset;
  readonly test: Dataset;
}

const IDX_NAME = /-idx\d-ubyte(\.gz)?$/;
const CSV_NAME = /\.csv$/i;

/**
 * The file for `stem`, gzipped or not. Both at once is refused: they may differ (a re-download
 * beside an older copy), and reading either one silently could train on the wrong data.
 */
function findIdx(dir: string, names: readonly string[], stem: string): string | undefined {
  const found = [stem, `${stem}.gz`].filter((name) => names.includes(name));
  if (found.length > 1) {
    throw new DataError(dir, `holds both \`${stem}\` and \`${stem}.gz\`; remove one of them`);
  }
  return found.length ? join(dir, found[0]!) : undefined;
}

function loadIdx(dir: string, names: readonly string[], prefix: string): Dataset {
  const images = findIdx(dir, names, `${prefix}-images-idx3-ubyte`);
  const labels = findIdx(dir, names, `${prefix}-labels-idx1-ubyte`);
  if (!images) throw new DataError(join(dir, `${prefix}-images-idx3-ubyte.gz`), 'missing');
  if (!labels) throw new DataError(join(dir, `${prefix}-labels-idx1-ubyte.gz`), 'missing');
  return idxDataset(
    images,
    parseIdx(images, readDataFile(images)),
    labels,
    parseIdx(labels, readDataFile(labels)),
  );
}

function loadCsv(dir: string, names: readonly string[], name: string): Dataset {
  const file = join(dir, name);
  if (!names.includes(name)) throw new DataError(file, 'missing');
  return parseCsv(file, new TextDecoder().decode(readDataFile(file)));
}

const listed = (names: readonly string[]) =>
  names
    .slice()
    .sort()
    .map((n) => `\`${n}\``)
    .join(', ');

export function loadDataDir(dir: string): DataSplits {
  const names = listDataDir(dir);
  const idx = names.filter((n) => IDX_NAME.test(n));
  const csv = names.filter((n) => CSV_NAME.test(n));
  if (idx.length && csv.length) {
    throw new DataError(
      dir,
      `holds both IDX files (${listed(idx)}) and CSV files (${listed(csv)}); keep one kind of data in the folder`,
    );
  }
  if (names.some((n) => n.startsWith('train-images-idx3-ubyte'))) {
    return { train: loadIdx(dir, names, 'train'), test: loadIdx(dir, names, 't10k') };
  }
  if (names.includes('train.csv')) {
    return { train: loadCsv(dir, names, 'train.csv'), test: loadCsv(dir, names, 'test.csv') };
  }
  throw new DataError(
    dir,
    'no data found: expected train-images-idx3-ubyte[.gz] with its labels and t10k-* files, or train.csv and test.csv',
  );
}
