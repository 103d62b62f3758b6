// ONNX export time and peak memory for VGG-16, as tooling/bench/export.mjs measures them (that
// script is another engineer's; it runs here as a child process so its memory figures are its
// own). Its output is read as JSON: the last line of stdout that parses as a JSON object.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run_ = promisify(execFile);
const TIMEOUT_MS = 10 * 60 * 1000;

function lastJson(stdout) {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    try {
      const value = JSON.parse(line);
      if (value && typeof value === 'object') return value;
    } catch {
      // Not the JSON line; keep looking.
    }
  }
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}

/** Nested JSON as [dotted key, value] pairs, one table row each. */
function flatten(value, prefix = '') {
  if (value === null || typeof value !== 'object') return [[prefix, value]];
  return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

const showValue = (v) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : String(v));

function section(rows, notes) {
  return {
    id,
    title: 'ONNX export, VGG-16',
    note:
      '`tooling/bench/export.mjs --json` run as a child process (its own Node, so its peak ' +
      "memory is the export's); the figures are its JSON output, shown as it reports them.",
    header: ['measure', 'value'],
    rows,
    goals: [],
    notes,
  };
}

export const id = 'export';

export async function run(ctx) {
  if (!ctx.selected(id, 'vgg16')) return undefined;
  const script = resolve(ctx.root, 'tooling/bench/export.mjs');
  if (!existsSync(script)) {
    return section(
      [['export time, peak memory', 'n/a']],
      ['tooling/bench/export.mjs is not there yet'],
    );
  }
  ctx.log('export: tooling/bench/export.mjs');
  let stdout;
  try {
    ({ stdout } = await run_(process.execPath, [script, '--json'], {
      cwd: ctx.root,
      timeout: TIMEOUT_MS,
      maxBuffer: 16 * 2 ** 20,
    }));
  } catch (e) {
    const why = (e.stderr || e.message).trim().split('\n').slice(-3).join(' / ');
    return section([['export time, peak memory', 'n/a']], [`export.mjs failed: ${why}`]);
  }
  const json = lastJson(stdout);
  if (!json) {
    const lines = stdout.trim().split('\n').slice(-10);
    return section(
      [['export time, peak memory', 'n/a']],
      ['no JSON from export.mjs; it printed:', ...lines],
    );
  }
  return section(
    flatten(json).map(([k, v]) => [k, showValue(v)]),
    [],
  );
}
