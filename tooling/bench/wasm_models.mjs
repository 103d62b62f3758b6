// Whole-model inference on Kiln's WASM backend beside tfjs-backend-wasm, on its own (the same
// section `pnpm bench` runs as the `wasm-models` suite):
//
//   node tooling/bench/wasm_models.mjs [--quick] [NAME...]
//
// NAME is an example (mlp-fashion, lenet5, resnet18, vgg16); by default all four.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLANS } from './measure.mjs';
import { consoleTable, machine } from './report.mjs';
import { id, run } from './suites/wasm_models.mjs';

const quick = process.argv.includes('--quick');
const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const m = machine();
console.log(`Kiln WASM models: ${m.cpu}, ${m.cores} cores, Node ${m.node}, load ${m.load}`);
const section = await run({
  plan: PLANS[quick ? 'quick' : 'full'],
  quick,
  root: resolve(dirname(fileURLToPath(import.meta.url)), '../..'),
  selected: (suite, row) => suite === id && (!names.length || names.includes(row)),
  log: (line) => process.stderr.write(`${line}\n`),
});
console.log(consoleTable(section));
process.exit(0);
