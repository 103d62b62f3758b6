// ONNX export of VGG-16 (138M weights, 553 MB = 528 MiB): time and peak memory.
//
//   node tooling/bench/export.mjs [--json]        (after `pnpm build`)
//
// Two ways to export, each measured in its own child process, so that one's peak resident
// memory (the kernel's maxrss) is not the other's:
//   file:   writeOnnx streaming to a file, as `kiln export` does: weights go out as views of
//           their Float32Arrays, so the export should add little beyond the weights;
//   buffer: exportOnnx returning one Uint8Array, which must hold a copy of the weights.
// Goal: peak resident memory under 2.5x the weights' size. Weights come from seeded init.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MODES = ['file', 'buffer'];
const MiB = 2 ** 20;

async function child(mode) {
  const { checkGraph, initWeights } = await import('@kiln/core');
  const { compile } = await import('@kiln/dsl');
  const { exportOnnx, writeOnnx } = await import('@kiln/onnx');
  const file = join(ROOT, 'examples/vgg16.kiln');
  const { graph } = compile(readFileSync(file, 'utf8'), file);
  const { shapes } = checkGraph(graph);
  const weights = initWeights(graph, shapes, 0);
  let weightBytes = 0;
  for (const t of weights.values()) weightBytes += t.data.byteLength;
  globalThis.gc?.();
  const before = process.memoryUsage();
  const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-export-'));
  const out = join(dir, 'vgg16.onnx');
  const start = performance.now();
  let bytes;
  if (mode === 'file') {
    const fd = openSync(out, 'w');
    writeOnnx(graph, shapes, weights, {
      model: (c) => {
        for (let at = 0; at < c.length;) at += writeSync(fd, c, at, c.length - at);
      },
    });
    closeSync(fd);
    bytes = statSync(out).size;
  } else {
    bytes = exportOnnx(graph, shapes, weights).length;
  }
  const ms = performance.now() - start;
  const after = process.memoryUsage();
  rmSync(dir, { recursive: true, force: true });
  const peakRss = process.resourceUsage().maxRSS * 1024;
  return {
    mode,
    exportMs: Math.round(ms),
    modelMiB: +(bytes / MiB).toFixed(1),
    weightsMiB: +(weightBytes / MiB).toFixed(1),
    rssBeforeMiB: +(before.rss / MiB).toFixed(1),
    peakRssMiB: +(peakRss / MiB).toFixed(1),
    peakOverWeights: +(peakRss / weightBytes).toFixed(2),
    heapUsedAfterMiB: +(after.heapUsed / MiB).toFixed(1),
    arrayBuffersAfterMiB: +(after.arrayBuffers / MiB).toFixed(1),
  };
}

function runChild(mode) {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--expose-gc', self, '--child', mode], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 16 * MiB,
  });
  if (r.status !== 0) throw new Error(`export.mjs --child ${mode} failed: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  process.stdout.write(`${JSON.stringify(await child(args[1]))}\n`);
} else {
  const results = Object.fromEntries(MODES.map((m) => [m, runChild(m)]));
  const goal = { peakOverWeightsBelow: 2.5, met: results.file.peakOverWeights < 2.5 };
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ model: 'vgg16', ...results, goal })}\n`);
  } else {
    for (const r of Object.values(results)) {
      console.log(
        `${r.mode.padEnd(6)} export ${r.exportMs} ms, model ${r.modelMiB} MiB, weights ${r.weightsMiB} MiB, ` +
          `rss before ${r.rssBeforeMiB} MiB, peak rss ${r.peakRssMiB} MiB (${r.peakOverWeights}x weights)`,
      );
    }
    console.log(
      `goal: peak under 2.5x the weights when streaming to a file: ${goal.met ? 'met' : 'NOT met'}`,
    );
  }
}
