// `pnpm bench`: times Kiln beside its peers in one run, prints a table per section to stdout
// (progress goes to stderr) and, on a full run, writes BENCHMARKS.md at the repository root.
//
//   node tooling/bench/run.mjs [--quick] [--only NAME[,NAME]]... [--write] [--out FILE]
//
// --only keeps a whole suite (`gemm`), a row of every suite that has it (`vgg16`: the model,
// its parse time, its export) or one row (`models/vgg16`); --quick repeats less and skips the fully convolutional VGG-16 section unless --only
// names it. BENCHMARKS.md is written on full runs only, or when --write asks for it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PLANS } from './measure.mjs';
import { consoleTable, machine, markdown } from './report.mjs';
import * as conv from './suites/conv.mjs';
import * as exportSuite from './suites/export.mjs';
import * as fcn from './suites/fcn.mjs';
import * as gemm from './suites/gemm.mjs';
import * as models from './suites/models.mjs';
import * as parse from './suites/parse.mjs';
import * as trainSuite from './suites/train.mjs';
import * as wasmModels from './suites/wasm_models.mjs';
import * as webgpu from './suites/webgpu.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SUITES = [gemm, conv, models, wasmModels, webgpu, fcn, parse, exportSuite, trainSuite];
/** Suites too slow for --quick; they still run when --only names them. */
const SLOW = new Set([fcn.id, trainSuite.id]);

const USAGE = `usage: node tooling/bench/run.mjs [--quick] [--only NAME[,NAME]]... [--write] [--out FILE]
suites: ${SUITES.map((s) => s.id).join(', ')}`;

function options(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true, default: [] },
      write: { type: 'boolean', default: false },
      out: { type: 'string', default: resolve(ROOT, 'BENCHMARKS.md') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const only = values.only.flatMap((o) => o.split(',')).filter(Boolean);
  return { ...values, only };
}

function selector(only, quick) {
  return (suite, row) => {
    if (only.length) return only.some((o) => o === suite || o === row || o === `${suite}/${row}`);
    return !(quick && SLOW.has(suite));
  };
}

function failedSection(id, e) {
  return {
    id,
    title: `${id} (failed)`,
    note: 'This suite threw before it produced figures.',
    header: ['error'],
    rows: [[String(e.message ?? e).split('\n')[0]]],
    goals: [],
    notes: [],
  };
}

async function main() {
  let opts;
  try {
    opts = options(process.argv.slice(2));
  } catch (e) {
    console.error(`${e.message}\n${USAGE}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  const started = performance.now();
  const ctx = {
    plan: opts.quick ? PLANS.quick : PLANS.full,
    quick: opts.quick,
    root: ROOT,
    selected: selector(opts.only, opts.quick),
    log: (msg) =>
      console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0)}s] ${msg}`),
  };
  const m = machine();
  console.log(`Kiln benchmarks: ${m.cpu}, ${m.cores} cores, Node ${m.node}`);
  const sections = [];
  for (const suite of SUITES) {
    let section;
    try {
      section = await suite.run(ctx);
    } catch (e) {
      // One broken suite must not cost the others' figures.
      console.error(e);
      section = failedSection(suite.id, e);
    }
    if (!section) continue;
    sections.push(section);
    console.log(consoleTable(section));
  }
  if (!sections.length) {
    console.error(`--only ${opts.only.join(',')} matched nothing\n${USAGE}`);
    process.exit(2);
  }
  const totalMs = performance.now() - started;
  console.log(`\ntotal: ${(totalMs / 1000).toFixed(0)} s`);
  const full = !opts.quick && !opts.only.length;
  if (full || opts.write) {
    const args = process.argv.slice(2).join(' ');
    const command = full ? 'pnpm bench' : `node tooling/bench/run.mjs ${args}`;
    const date = new Date()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC');
    const block = markdown({ sections, machine: m, date, command, totalMs });
    writeFileSync(opts.out, spliced(opts.out, block));
    console.error(`wrote ${opts.out}`);
  }
}

const START = '<!-- pnpm bench: start -->';
const END = '<!-- pnpm bench: end -->';

/**
 * BENCHMARKS.md also holds sections written by hand after the generated block (training runs,
 * figures from lent hardware). A new run replaces only what lies between the markers; a file
 * without them keeps its whole text after the new block, so nothing anyone wrote is lost.
 */
function spliced(path, block) {
  const generated = `${START}\n${block}${END}\n`;
  if (!existsSync(path)) return generated;
  const old = readFileSync(path, 'utf8');
  const from = old.indexOf(START);
  const to = old.indexOf(END);
  if (from < 0 || to < from) return `${generated}\n${old}`;
  return old.slice(0, from) + generated + old.slice(to + END.length).replace(/^\n/, '');
}

await main();
