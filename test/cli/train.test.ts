/**
 * `kiln train` end to end, as a user runs it: a short run on the committed Fashion-MNIST subset
 * whose weights `kiln run` and `kiln export` then use, safe writes, Ctrl-C and --resume, and
 * bad input (missing or truncated files, labels that do not match, a model whose output does
 * not fit the loss, a step that diverges): each a clear error and exit 1, never a stack trace.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeSafetensors } from '@kiln/core';
import { example, kiln, root, scratch } from './kiln.js';

const subset = join(root, 'test/train/data/fashion-mnist-2k');
const files = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
];
const mlp = example('mlp-fashion.kiln');

/** A copy of the subset in a fresh folder, for tests that damage it. */
function dataCopy(): string {
  const dir = scratch();
  for (const f of files) copyFileSync(join(subset, f), join(dir, f));
  return dir;
}

const quick = ['--data', subset, '--epochs', '1', '--limit', '256'];

function noStack(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain('internal error');
}

describe('kiln train', () => {
  it('trains, writes weights that run and export use, and refuses to overwrite them', () => {
    const dir = scratch();
    const out = join(dir, 'w.safetensors');
    const r = kiln(['train', mlp, ...quick, '-o', out]);
    expect(r.stderr).toContain('training `mlp_fashion` on 256 samples (test 500), 1 epochs');
    expect(r.stdout).toMatch(
      /^epoch 1\/1: train loss [\d.]+, train accuracy [\d.]+, test loss [\d.]+, test accuracy [\d.]+ \([\d.]+ s\)$/m,
    );
    expect(r.code).toBe(0);
    expect(existsSync(out) && existsSync(`${out}.ckpt`)).toBe(true);

    const run = kiln(['run', mlp, '--weights', out, '--random', '1']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`weights: loaded from ${out}`);
    const onnx = join(dir, 'm.onnx');
    expect(kiln(['export', mlp, '--weights', out, '-o', onnx]).code).toBe(0);
    expect(existsSync(onnx)).toBe(true);

    const again = kiln(['train', mlp, ...quick, '-o', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists; pass --force to overwrite it');
  });

  it('prints one JSON document with --json', () => {
    const out = join(scratch(), 'w.safetensors');
    const r = kiln([
      'train',
      mlp,
      ...quick,
      '-o',
      out,
      '--json',
      '--optimizer',
      'adam',
      '--lr',
      '0.001',
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.epochs).toHaveLength(1);
    expect(doc.epochs[0].test.accuracy).toBeGreaterThan(0.3);
  });

  it('saves a checkpoint on Ctrl-C and continues from it with --resume', async () => {
    const dir = scratch();
    const out = join(dir, 'w.safetensors');
    const child = spawn(process.execPath, [
      join(root, 'apps/cli/dist/main.js'),
      'train',
      mlp,
      '--data',
      subset,
      '--epochs',
      '1',
      '--batch-size',
      '8',
      '-o',
      out,
    ]);
    let stderr = '';
    let sent = false;
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (!sent && stderr.includes('epoch 1/1 [')) {
          // Twice, as an impatient user does: the second must not cost the checkpoint. (Two
          // signals sent at once may arrive as one, so the second follows a little later.)
          sent = true;
          child.kill('SIGINT');
          setTimeout(() => child.kill('SIGINT'), 5);
        }
      });
      child.on('close', resolve);
    });
    expect(code).toBe(130);
    expect(stderr).toMatch(
      /interrupted at epoch 1, batch \d+: checkpoint saved to `.*w\.safetensors\.ckpt`/,
    );
    expect(existsSync(out)).toBe(false);
    // Other batches, or other data, would not continue where it stopped.
    const common = ['train', mlp, '--data', subset, '--epochs', '1', '-o', out];
    const batches = kiln([...common, '--batch-size', '16', '--resume', `${out}.ckpt`]);
    expect(batches.code).toBe(1);
    expect(batches.stderr).toContain('the checkpoint was trained in batches of 8');
    const fewer = kiln([
      ...common,
      '--batch-size',
      '8',
      '--limit',
      '100',
      '--resume',
      `${out}.ckpt`,
    ]);
    expect(fewer.code).toBe(1);
    expect(fewer.stderr).toContain('trained on 2000 samples; this run has 100');
    const resumed = kiln([
      'train',
      mlp,
      '--data',
      subset,
      '--epochs',
      '1',
      '--batch-size',
      '8',
      '-o',
      out,
      '--resume',
      `${out}.ckpt`,
    ]);
    expect(resumed.stderr).toMatch(/resuming at epoch 1 batch \d+/);
    expect(resumed.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  }, 120_000);

  it('names a missing data folder and a missing file', () => {
    const r = kiln(['train', mlp, '--data', join(root, 'no/such/dir'), '-o', join(scratch(), 'w')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: .*no\/such\/dir: no such directory/);
    const dir = dataCopy();
    rmSync(join(dir, 't10k-labels-idx1-ubyte.gz'));
    const m = kiln(['train', mlp, '--data', dir, '-o', join(dir, 'w')]);
    expect(m.code).toBe(1);
    expect(m.stderr).toContain('t10k-labels-idx1-ubyte.gz: missing');
    noStack(m.stderr);
  });

  it('says a --data path that is a file is not a directory', () => {
    const file = join(subset, 'train-labels-idx1-ubyte.gz');
    const r = kiln(['train', mlp, '--data', file, '-o', join(scratch(), 'w')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: ${file}: is a file, not a directory (give the folder holding the data)\n`,
    );
    const through = join(file, 'x');
    const under = kiln(['train', mlp, '--data', through, '-o', join(scratch(), 'w')]);
    expect(under.code).toBe(1);
    expect(under.stderr).toBe(`error: ${through}: a parent of it is not a directory\n`);
  });

  it('refuses a data folder holding a file both plain and gzipped', () => {
    const dir = dataCopy();
    const raw = gunzipSync(readFileSync(join(subset, 'train-labels-idx1-ubyte.gz')));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), raw);
    const r = kiln(['train', mlp, '--data', dir, '-o', join(dir, 'w')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: ${dir}: holds both \`train-labels-idx1-ubyte\` and \`train-labels-idx1-ubyte.gz\`; remove one of them`,
    );
    expect(existsSync(join(dir, 'w'))).toBe(false);
    noStack(r.stderr);
  });

  it('refuses a data folder holding both IDX files and a CSV file', () => {
    const dir = dataCopy();
    writeFileSync(join(dir, 'train.csv'), '0,1\n');
    const r = kiln(['train', mlp, '--data', dir, '-o', join(dir, 'w')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${dir}: holds both IDX files (`);
    expect(r.stderr).toContain('and CSV files (`train.csv`); keep one kind of data in the folder');
    expect(existsSync(join(dir, 'w'))).toBe(false);
    noStack(r.stderr);
  });

  it('names a truncated file', () => {
    const dir = dataCopy();
    const raw = gunzipSync(readFileSync(join(subset, 'train-images-idx3-ubyte.gz')));
    writeFileSync(
      join(dir, 'train-images-idx3-ubyte.gz'),
      gzipSync(raw.subarray(0, raw.length - 100)),
    );
    const r = kiln(['train', mlp, '--data', dir, '-o', join(dir, 'w')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /train-images-idx3-ubyte\.gz: truncated: the header declares \[2000, 28, 28\] = 1568000 values, the file holds 1567900/,
    );
    noStack(r.stderr);
  });

  it('names an IDX file holding more than its header declares', () => {
    const dir = dataCopy();
    const raw = gunzipSync(readFileSync(join(subset, 't10k-labels-idx1-ubyte.gz')));
    const longer = Buffer.concat([raw, Buffer.from([1, 2, 3])]);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(longer));
    const r = kiln(['train', mlp, '--data', dir, '-o', join(dir, 'w')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: ${join(dir, 't10k-labels-idx1-ubyte.gz')}: 3 bytes after the declared [500] values`,
    );
    noStack(r.stderr);
  });

  it('refuses labels that do not match the images', () => {
    const dir = dataCopy();
    copyFileSync(
      join(subset, 't10k-labels-idx1-ubyte.gz'),
      join(dir, 'train-labels-idx1-ubyte.gz'),
    );
    const r = kiln(['train', mlp, '--data', dir, '-o', join(dir, 'w')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /train-labels-idx1-ubyte\.gz: 500 labels do not match the 2000 images/,
    );
    noStack(r.stderr);
  });

  /** Rewrites a gzipped IDX file of the copy: new dims in its header, the data cut to fit. */
  function reshapeIdx(dir: string, name: string, dims: number[]): void {
    const raw = gunzipSync(readFileSync(join(dir, name)));
    const header = Buffer.alloc(4 + 4 * dims.length);
    raw.copy(header, 0, 0, 4);
    dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
    const size = dims.reduce((a, b) => a * b, 1);
    const data = raw.subarray(4 + 4 * dims.length, 4 + 4 * dims.length + size);
    writeFileSync(join(dir, name), gzipSync(Buffer.concat([header, data])));
  }

  it('refuses an empty training set and images of the wrong height and width', () => {
    const empty = dataCopy();
    reshapeIdx(empty, 'train-images-idx3-ubyte.gz', [0, 28, 28]);
    reshapeIdx(empty, 'train-labels-idx1-ubyte.gz', [0]);
    const r = kiln(['train', mlp, '--data', empty, '-o', join(empty, 'w')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('train-images-idx3-ubyte.gz: holds no images (its count is 0)');
    expect(existsSync(join(empty, 'w'))).toBe(false);
    // 14x56 has 784 pixels like 28x28, but they are other pictures.
    const wide = dataCopy();
    reshapeIdx(wide, 'train-images-idx3-ubyte.gz', [2000, 14, 56]);
    const w = kiln(['train', mlp, '--data', wide, '-o', join(wide, 'w')]);
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/each sample has 784 values \(\[14, 56\]\).*\[1, 28, 28\]/);
    noStack(w.stderr);
  });

  it('checks the output paths before training, and names a checkpoint given as weights', () => {
    const dir = scratch();
    const missing = kiln(['train', mlp, ...quick, '-o', join(dir, 'nodir', 'w.safetensors')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
    expect(missing.stderr).not.toContain('epoch');
    const same = join(dir, 's.safetensors');
    const clash = kiln(['train', mlp, ...quick, '-o', same, '--checkpoint', same]);
    expect(clash.code).toBe(2);
    const ok = kiln(['train', mlp, ...quick, '-o', join(dir, 'w.safetensors')]);
    expect(ok.code).toBe(0);
    const ckpt = kiln(['run', mlp, '--weights', join(dir, 'w.safetensors.ckpt')]);
    expect(ckpt.code).toBe(1);
    expect(ckpt.stderr).toContain('is a training checkpoint');
    // The checkpoint of a finished one-epoch run: nothing left at --epochs 1, and another seed
    // would reorder the data.
    const resume = ['--resume', join(dir, 'w.safetensors.ckpt'), '-o', join(dir, 'more')];
    const done = kiln(['train', mlp, ...quick, ...resume]);
    expect(done.code).toBe(1);
    expect(done.stderr).toContain('has already finished 1 epochs; give --epochs above 1');
    const twoEpochs = ['--data', subset, '--epochs', '2', '--limit', '256'];
    const seed = kiln(['train', mlp, ...twoEpochs, ...resume, '--seed', '5']);
    expect(seed.code).toBe(1);
    expect(seed.stderr).toContain('trained with seed 0; resuming with --seed 5');
  });

  it('names the field of a checkpoint whose position is not a decimal integer', () => {
    const dir = scratch();
    // Number() would read epoch `0x1` as 1.
    const meta = {
      format: 'kiln-checkpoint-1',
      epoch: '0x1',
      batch: '0',
      step: '0',
      seed: '0',
      optimizer: 'sgd',
      optimizer_steps: '0',
    };
    writeFileSync(join(dir, 'c.ckpt'), encodeSafetensors(new Map(), meta));
    const resume = ['--resume', join(dir, 'c.ckpt'), '-o', join(dir, 'w')];
    const r = kiln(['train', mlp, ...quick, ...resume]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: ${join(dir, 'c.ckpt')}: bad checkpoint field \`epoch\`: \`0x1\` is not a non-negative integer`,
    );
    noStack(r.stderr);
  });

  it('points at the output layer of a model that does not fit the loss', () => {
    const dir = scratch({
      'bad.kiln':
        'model bad {\n  input image: f32[N, 1, 28, 28]\n  flatten\n  score = dense 1\n  train { loss cross_entropy }\n}\n',
    });
    const r = kiln(['train', join(dir, 'bad.kiln'), '--data', subset, '-o', join(dir, 'w')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'bad.kiln:4:11: error: cross_entropy needs scores for 2 or more classes; `score` is [N, 1]',
    );
    expect(r.stderr).toContain('^');
    noStack(r.stderr);
  });

  it('stops a diverging run, naming the step and layer, and keeps the last good checkpoint', () => {
    const out = join(scratch(), 'w.safetensors');
    const r = kiln(['train', mlp, ...quick, '--lr', '1e12', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error: step \d+ \(epoch 1, batch \d+\): the loss is (NaN|Infinity); (NaN|infinity) first appears in layer `\w+`/,
    );
    expect(r.stderr).toContain(`last good weights: checkpoint \`${out}.ckpt\``);
    expect(existsSync(`${out}.ckpt`)).toBe(true);
    expect(existsSync(out)).toBe(false);
    noStack(r.stderr);
  });

  it('turns bad flags into usage errors', () => {
    expect(kiln(['train', mlp, '-o', 'w']).code).toBe(2);
    expect(kiln(['train', mlp, '--data', subset]).code).toBe(2);
    const lr = kiln(['train', mlp, '--data', subset, '-o', 'w', '--lr', 'fast']);
    expect(lr.code).toBe(2);
    expect(lr.stderr).toContain(
      'option `--lr` needs a finite decimal number above 0 (such as 0.01 or 1e-3), got `fast`',
    );
  });

  it('trains on CSV data and names the line and column of a bad cell', () => {
    const rows = (n: number, offset: number) =>
      Array.from({ length: n }, (_, i) => {
        const label = i % 2;
        const v = (k: number) =>
          ((((i + offset) * 7919 + k * 104729) % 1000) / 1000 - 0.5 + (label ? 1 : -1)).toFixed(3);
        return `${label},${v(1)},${v(2)},${v(3)}`;
      }).join('\n');
    const dir = scratch({
      'blobs.kiln':
        'model blobs {\n  input x: f32[N, 3]\n  dense 8 relu\n  dense 2\n  train {\n    loss cross_entropy\n    optimizer adam\n    lr 0.01\n    batch_size 8\n    epochs 5\n  }\n}\n',
      'train.csv': `label,a,b,c\n${rows(64, 0)}\n`,
      'test.csv': `label,a,b,c\n${rows(32, 1000)}\n`,
    });
    const r = kiln(['train', join(dir, 'blobs.kiln'), '--data', dir, '-o', join(dir, 'w')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/epoch 5\/5: .* test accuracy (0\.9\d+|1\.0000)/);
    writeFileSync(join(dir, 'test.csv'), 'label,a,b,c\n1,0.5,0.5,0.5\n0,0.5,oops,0.5\n');
    const bad = kiln(['train', join(dir, 'blobs.kiln'), '--data', dir, '-o', join(dir, 'w2')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('test.csv:3:7: column 3 (`b`) is not a decimal number: `oops`');
    noStack(bad.stderr);
    // Number() reads 0x10 as 16; a data file means something else by it.
    writeFileSync(join(dir, 'test.csv'), 'label,a,b,c\n1,0.5,0.5,0.5\n0,0.5,0.5,0x10\n');
    const hex = kiln(['train', join(dir, 'blobs.kiln'), '--data', dir, '-o', join(dir, 'w3')]);
    expect(hex.code).toBe(1);
    expect(hex.stderr).toContain('test.csv:3:11: column 4 (`c`) is not a decimal number: `0x10`');
    expect(existsSync(join(dir, 'w3'))).toBe(false);
    noStack(hex.stderr);
  });
});
