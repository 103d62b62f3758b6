/**
 * Finds the training and test sets in a folder. Recognised layouts:
 * - IDX, as Fashion-MNIST ships: `train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`,
 *   `t10k-images-idx3-ubyte[.gz]`, `t10k-labels-idx1-ubyte[.gz]` (each plain or gzipped, not
 *   both);
 * - CSV: `train.csv` and `test.csv` (label first).
 * A missing test set is an error: the loop reports test loss and accuracy every epoch.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../errors.js';
import { parseCsv } from './csv.js';
import type { Dataset } from './dataset.js';
import { idxDataset, parseIdx } from './idx.js';

export interface DataSplits {
  readonly train: Dataset;
  readonly test: Dataset;
}

function read(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new DataError(file, `cannot read: ${(e as Error).message}`);
  }
}

/**
 * The file for `stem`, gzipped or not. Both at once is refused: they may differ (a re-download
 * beside an older copy), and reading either one silently could train on the wrong data.
 */
function findIdx(dir: string, stem: string): string | undefined {
  const found = [stem, `${stem}.gz`].filter((name) => existsSync(join(dir, name)));
  if (found.length > 1) {
    throw new DataError(dir, `holds both \`${stem}\` and \`${stem}.gz\`; remove one of them`);
  }
  return found.length ? join(dir, found[0]!) : undefined;
}

function loadIdx(dir: string, prefix: string): Dataset {
  const images = findIdx(dir, `${prefix}-images-idx3-ubyte`);
  const labels = findIdx(dir, `${prefix}-labels-idx1-ubyte`);
  if (!images) throw new DataError(join(dir, `${prefix}-images-idx3-ubyte.gz`), 'missing');
  if (!labels) throw new DataError(join(dir, `${prefix}-labels-idx1-ubyte.gz`), 'missing');
  return idxDataset(images, parseIdx(images, read(images)), labels, parseIdx(labels, read(labels)));
}

export function loadDataDir(dir: string): DataSplits {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DataError(dir, 'no such directory');
  }
  const names = readdirSync(dir);
  if (names.some((n) => n.startsWith('train-images-idx3-ubyte'))) {
    return { train: loadIdx(dir, 'train'), test: loadIdx(dir, 't10k') };
  }
  if (names.includes('train.csv')) {
    const csv = (name: string) => {
      const file = join(dir, name);
      if (!existsSync(file)) throw new DataError(file, 'missing');
      return parseCsv(file, new TextDecoder().decode(read(file)));
    };
    return { train: csv('train.csv'), test: csv('test.csv') };
  }
  throw new DataError(
    dir,
    'no data found: expected train-images-idx3-ubyte[.gz] with its labels and t10k-* files, or train.csv and test.csv',
  );
}
