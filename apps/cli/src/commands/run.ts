/**
 * `kiln run MODEL.kiln [--backend B] [--threads T] [--weights F] [--seed S]
 * [--input F | --random SEED] [--shape name=N,C,H,W] [--top K] [--json]`: runs the model and
 * prints its outputs (top-k classes for a classifier), or one JSON document with every output.
 */
import type { Graph, Shape, Tensor } from '@kiln/core';
import {
  DiagnosticError,
  expectedParams,
  formatShape,
  renderDiagnostics,
  withInputShapes,
} from '@kiln/core';
import type { Command } from '../command.js';
import { helpFlag, jsonFlag } from '../command.js';
import { pickBackend, threadsFlag } from '../backends.js';
import { concreteShape, fileInputs, inputNodes, parseShapes, randomInputs } from '../inputs.js';
import { ensureRunFits } from '../memory.js';
import { exitCode, UsageError, UserError } from '../io.js';
import { loadModel, recheck } from '../model.js';
import { chooseWeights } from '../weights.js';

const fmt = (v: number) => String(Number(v.toPrecision(5)));

function topK(t: Tensor, k: number): string[] {
  const [n, classes] = t.shape as [number, number];
  const lines: string[] = [];
  for (let s = 0; s < n; s++) {
    const row = t.data.subarray(s * classes, (s + 1) * classes);
    const order = [...row.keys()].sort((a, b) => row[b]! - row[a]!).slice(0, k);
    lines.push(`  sample ${s}: ${order.map((c) => `${c} (${fmt(row[c]!)})`).join(', ')}`);
  }
  return lines;
}

function describe(name: string, t: Tensor, k: number): string {
  const head = `${name} ${formatShape(t.shape)}`;
  if (t.shape.length === 2 && t.shape[1]! > 1)
    return [`${head}, top ${Math.min(k, t.shape[1]!)} per sample:`, ...topK(t, k)].join('\n');
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of t.data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  const first = [...t.data.subarray(0, 8)].map(fmt).join(', ');
  return `${head}: min ${fmt(min)}, max ${fmt(max)}, mean ${fmt(sum / t.data.length)}\n  first values: ${first}${t.data.length > 8 ? ', ...' : ''}`;
}

/**
 * `--shape` may replace declared sizes (a fully convolutional model runs on a larger image than
 * it was written for), but not into a different model: if a weight's shape would change, the
 * request is refused here, naming the weight, instead of running on weights made up for it.
 */
function keepWeightShapes(
  before: ReadonlyMap<string, Shape>,
  declared: Graph,
  graph: Graph,
  after: ReadonlyMap<string, Shape>,
): void {
  const old = new Map(expectedParams(declared, before).map((p) => [p.name, p.spec.shape]));
  for (const p of expectedParams(graph, after)) {
    const was = old.get(p.name);
    if (was && formatShape(was) !== formatShape(p.spec.shape)) {
      throw new UserError(
        `error: --shape changes the model's weights: \`${p.name}\` would be ` +
          `${formatShape(p.spec.shape)} instead of ${formatShape(was)}; --shape may change only ` +
          `sizes no weight depends on (the batch, or the height and width a convolutional ` +
          `model reads)`,
      );
    }
  }
}

export const run: Command = {
  name: 'run',
  usage:
    'kiln run MODEL.kiln [--backend cpu|wasm|webgpu] [--threads T] [--weights F] [--seed S] ' +
    '[--input F | --random SEED] [--shape name=N,C,H,W] [--top K] [--json]',
  summary: 'run a model on a backend and print its outputs',
  flags: {
    backend: { kind: 'string', doc: 'backend to run on: cpu (default), wasm or webgpu' },
    threads: threadsFlag,
    weights: { kind: 'string', doc: 'safetensors file with the weights (default: seeded init)' },
    seed: {
      kind: 'int',
      doc: 'seed of the initial weights when --weights is not given (default 0)',
    },
    input: { kind: 'strings', doc: 'input file: x.npy, name=x.npy, or a .json file (repeatable)' },
    random: {
      kind: 'int',
      doc: 'use seeded random inputs in [-1, 1) (the default, with seed 0, when no --input)',
    },
    shape: { kind: 'strings', doc: 'concrete shape of an input, name=N,C,H,W (repeatable)' },
    top: { kind: 'int', min: 1, doc: 'classes to show per sample (default 5)' },
    json: jsonFlag,
    help: helpFlag,
  },
  async run({ positional, flags }, io) {
    if (positional.length !== 1) throw new UsageError('run takes exactly one model file');
    const backend = pickBackend(
      flags['backend'] as string | undefined,
      (flags['threads'] as number | undefined) ?? 1,
    );
    const inputFlags = (flags['input'] as string[] | undefined) ?? [];
    if (inputFlags.length && flags['random'] !== undefined)
      throw new UsageError('give --input or --random, not both');
    const model = loadModel(io, positional[0]!);
    const shapes = parseShapes(model.graph, (flags['shape'] as string[] | undefined) ?? []);
    // Declared shapes are replaced by the given ones, so a fully convolutional model can run
    // on a larger image than it was written for; the checker re-validates every layer.
    const graph = Object.keys(shapes).length ? withInputShapes(model.graph, shapes) : model.graph;
    const checked = recheck(model, graph);
    if (graph !== model.graph) keepWeightShapes(model.shapes, model.graph, graph, checked);
    // Inputs are read (or their shapes settled) first, so the memory a run needs is known, and
    // refused if it cannot fit, before weights and random inputs are allocated.
    const files = inputFlags.length ? fileInputs(io, graph, inputFlags) : undefined;
    const inputShapes = Object.fromEntries(
      inputNodes(graph)
        .filter((n) => !files || files[n.name])
        .map((n) => [
          n.name,
          files ? [...files[n.name]!.shape] : concreteShape(graph, n.name, shapes),
        ]),
    );
    ensureRunFits(graph, inputShapes, backend);
    const { weights, origin } = chooseWeights(
      io,
      model,
      graph,
      checked,
      flags['weights'] as string | undefined,
      (flags['seed'] as number | undefined) ?? 0,
    );
    const inputs =
      files ?? randomInputs(graph, (flags['random'] as number | undefined) ?? 0, shapes);
    let outputs: Record<string, Tensor>;
    let info: string;
    try {
      const session = await backend.compile(graph, weights);
      outputs = await session.run(inputs);
      // Read after the run: memory and buffer figures describe the run just made.
      info = `${session.info.backend}${
        Object.keys(session.info.details).length
          ? ` (${Object.entries(session.info.details)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')})`
          : ''
      }`;
    } catch (e) {
      if (e instanceof DiagnosticError) {
        throw new UserError(
          renderDiagnostics(e.diagnostics, { [model.path]: model.text }, model.path),
          exitCode.userError,
          e.diagnostics,
        );
      }
      throw e;
    }
    io.stderr(`weights: ${origin}; backend: ${info}\n`);
    if (flags['json']) {
      const doc = Object.fromEntries(
        Object.entries(outputs).map(([k, t]) => [k, { shape: t.shape, data: [...t.data] }]),
      );
      io.stdout(JSON.stringify({ backend: backend.name, outputs: doc }) + '\n');
    } else {
      const k = (flags['top'] as number | undefined) ?? 5;
      io.stdout(
        Object.entries(outputs)
          .map(([name, t]) => describe(name, t, k))
          .join('\n') + '\n',
      );
    }
    return exitCode.ok;
  },
};
