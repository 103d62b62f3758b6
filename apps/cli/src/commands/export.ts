/**
 * `kiln export MODEL.kiln -o OUT.onnx [--opset N] [--pass NAME] [--weights F] [--seed S]
 * [--force]`: writes the model as ONNX, with weights from a safetensors file or seeded
 * initialisation, optionally after rewrite passes.
 *
 * The file appears whole or not at all: bytes stream into a temporary file in the output's own
 * folder (so the final rename stays on one file system and is atomic), which is renamed over
 * OUT only when the export succeeded, and removed otherwise. Past ONNX's 2 GB limit the weights
 * go to OUT.data beside it, written the same way. An existing OUT is replaced only with --force.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Diagnostic, Graph, Shape, Weights } from '@kiln/core';
import {
  DiagnosticError,
  UnknownPassError,
  decodeSafetensors,
  initWeights,
  checkGraph,
  renderDiagnostics,
  runPasses,
  withInputShapes,
  validateWeights,
} from '@kiln/core';
import type { ExportSummary } from '@kiln/onnx';
import { DEFAULT_OPSET, MAX_OPSET, MIN_OPSET, OnnxExportError, writeOnnx } from '@kiln/onnx';
import type { Command } from '../command.js';
import { helpFlag, jsonFlag } from '../command.js';
import { why } from '../errno.js';
import type { Io } from '../io.js';
import { exitCode, UsageError, UserError } from '../io.js';
import type { LoadedModel } from '../model.js';
import { ensureWeightsFit } from '../memory.js';
import { ensureRegularTarget } from '../write.js';
import { loadModel } from '../model.js';
import { reportText } from '../passes.js';

/** Recorded as the ONNX file's producer_version. */
const KILN_VERSION = '0.1.0';

function located(model: LoadedModel, diagnostics: readonly Diagnostic[], summary: string) {
  const rendered = renderDiagnostics(diagnostics, { [model.path]: model.text }, model.path);
  return new UserError(`${rendered}\n\n${summary}`, exitCode.userError, diagnostics);
}

function readWeights(io: Io, model: LoadedModel, file: string): Weights {
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(file);
  } catch (e) {
    throw new UserError(`error: cannot read weights \`${file}\`: ${why(e)}`);
  }
  let weights: Weights;
  try {
    weights = decodeSafetensors(bytes);
  } catch (e) {
    if (e instanceof DiagnosticError) {
      throw new UserError(`error: \`${file}\`: ${e.diagnostics.map((d) => d.message).join('; ')}`);
    }
    throw e;
  }
  const problems = validateWeights(model.graph, model.shapes, weights, { finite: true });
  if (problems.length) {
    const n = problems.length;
    throw located(model, problems, `${file}: ${n} problem${n === 1 ? '' : 's'} with the weights`);
  }
  return weights;
}

interface Prepared {
  readonly graph: Graph;
  readonly shapes: ReadonlyMap<string, Shape>;
  readonly weights: Weights;
}

function prepare(io: Io, model: LoadedModel, flags: Record<string, unknown>): Prepared {
  const file = flags['weights'] as string | undefined;
  const seed = (flags['seed'] as number | undefined) ?? 0;
  ensureWeightsFit(model.graph, model.shapes);
  const weights = file
    ? readWeights(io, model, file)
    : initWeights(model.graph, model.shapes, seed);
  const names = (flags['pass'] as string[] | undefined) ?? [];
  if (names.length === 0) return { graph: model.graph, shapes: model.shapes, weights };
  try {
    const spatial = flags['spatial'] === true;
    const result = runPasses(model.graph, names, weights, { spatial });
    for (const r of result.reports) io.stderr(reportText(r) + '\n');
    const mapped = withNewLayers(io, result.graph, result.shapes, result.weights!, seed);
    const graph = spatial ? openSpatialDims(result.graph, result.shapes) : result.graph;
    if (graph === result.graph) return { graph, shapes: result.shapes, weights: mapped };
    const checked = checkGraph(graph);
    if (checked.diagnostics.some((d) => d.severity === 'error')) {
      throw located(model, checked.diagnostics, `${model.path}: cannot open its spatial size`);
    }
    return { graph, shapes: checked.shapes, weights: mapped };
  } catch (e) {
    if (e instanceof UnknownPassError) throw new UsageError(e.message);
    if (e instanceof DiagnosticError) throw new UserError(e.message);
    throw e;
  }
}

/**
 * A pass that changes the model (gap-head) leaves layers whose old weights no longer fit; they
 * get seeded initial weights, and the user is told the file needs training before it serves.
 */
function withNewLayers(
  io: Io,
  graph: Graph,
  shapes: ReadonlyMap<string, Shape>,
  weights: Weights,
  seed: number,
): Weights {
  const seeded = initWeights(graph, shapes, seed);
  const fresh = [...seeded.keys()].filter((name) => !weights.has(name));
  if (fresh.length === 0) return weights;
  io.stderr(
    `note: the passes changed the model: ${fresh.map((n) => `\`${n}\``).join(', ')} ` +
      `are freshly initialised (seed ${seed}), not trained; train the model before serving it\n`,
  );
  return new Map([...weights, ...fresh.map((name) => [name, seeded.get(name)!] as const)]);
}

/**
 * A fully convolutional model serves any image size, so its file should too: each 4-D input's
 * height and width become dim_params (`H`, `W`; prefixed with the input's name when a model has
 * several such inputs). onnxruntime then accepts a 384x384 image for a model written at 224x224.
 */
function openSpatialDims(graph: Graph, shapes: ReadonlyMap<string, Shape>): Graph {
  const images = graph.nodes.filter((n) => n.op === 'input' && shapes.get(n.name)?.length === 4);
  const open: Record<string, Shape> = {};
  for (const n of images) {
    const [batch, channels] = shapes.get(n.name)!;
    const prefix = images.length > 1 ? `${n.name}_` : '';
    open[n.name] = [batch!, channels!, `${prefix}H`, `${prefix}W`];
  }
  return images.length > 0 ? withInputShapes(graph, open) : graph;
}

/** A file that becomes `path` on `commit()` and vanishes on `discard()`. */
class PendingFile {
  readonly temp: string;
  private fd: number | undefined;
  private opened = false;

  constructor(readonly path: string) {
    const name = `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`;
    this.temp = join(dirname(path), name);
  }

  write(chunk: Uint8Array): void {
    this.open();
    let at = 0;
    while (at < chunk.length) at += writeSync(this.fd!, chunk, at, chunk.length - at);
  }

  open(): void {
    if (this.fd !== undefined) return;
    this.fd = openSync(this.temp, 'wx');
    this.opened = true;
  }

  commit(): void {
    this.close();
    renameSync(this.temp, this.path);
  }

  discard(): void {
    this.close();
    if (this.opened) rmSync(this.temp, { force: true });
  }

  private close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function writeFiles(
  io: Io,
  out: string,
  prepared: Prepared,
  options: { opset: number; force: boolean },
): ExportSummary {
  const model = new PendingFile(out);
  const data = new PendingFile(`${out}.data`);
  try {
    try {
      model.open();
    } catch (e) {
      throw new UserError(`error: cannot write \`${out}\`: ${why(e)}`);
    }
    const summary = writeOnnx(
      prepared.graph,
      prepared.shapes,
      prepared.weights,
      { model: (c) => model.write(c), data: (c) => data.write(c) },
      {
        opset: options.opset,
        producerVersion: KILN_VERSION,
        dataLocation: basename(data.path),
      },
    );
    if (summary.external && io.exists(data.path) && !options.force) {
      throw new UserError(
        `error: \`${data.path}\` already exists (the weights' side file); pass --force to overwrite it`,
      );
    }
    if (summary.external) data.commit();
    model.commit();
    return summary;
  } catch (e) {
    model.discard();
    data.discard();
    if (e instanceof UserError) throw e;
    const code = (e as { code?: string }).code;
    if (code && typeof code === 'string' && code.startsWith('E')) {
      throw new UserError(`error: cannot write \`${out}\`: ${why(e)}`);
    }
    throw e;
  }
}

export const exportCommand: Command = {
  name: 'export',
  usage:
    'kiln export MODEL.kiln -o OUT.onnx [--opset N] [--pass NAME [--spatial]] [--weights F.safetensors] [--seed S] [--force] [--json]',
  summary: 'write the model as ONNX (weights from a file or seeded initialisation)',
  flags: {
    output: { kind: 'string', short: 'o', doc: 'the .onnx file to write' },
    opset: {
      kind: 'int',
      doc: `ONNX opset, ${MIN_OPSET} to ${MAX_OPSET} (default ${DEFAULT_OPSET})`,
    },
    pass: { kind: 'strings', doc: 'apply a rewrite pass first (repeatable), e.g. fc-to-conv' },
    spatial: {
      kind: 'boolean',
      doc: 'fc-to-conv: keep the spatial output map; the file takes any image height and width',
    },
    weights: { kind: 'string', doc: 'safetensors file of weights (default: seeded init)' },
    seed: { kind: 'int', doc: 'seed of the initialisation when no --weights (default 0)' },
    force: { kind: 'boolean', doc: 'overwrite OUT if it exists' },
    json: jsonFlag,
    help: helpFlag,
  },
  run({ positional, flags }, io) {
    if (positional.length !== 1) throw new UsageError('export takes exactly one model file');
    const out = flags['output'] as string | undefined;
    if (!out) throw new UsageError('export needs an output file: -o OUT.onnx');
    const opset = (flags['opset'] as number | undefined) ?? DEFAULT_OPSET;
    if (opset < MIN_OPSET || opset > MAX_OPSET) {
      // A well-formed number that Kiln cannot write is a wrong request, not a malformed command
      // line: exit 1, like a model the opset cannot express.
      throw new UserError(
        `error: --opset ${opset} is out of range: Kiln writes ONNX opsets ${MIN_OPSET} to ${MAX_OPSET}`,
      );
    }
    const force = flags['force'] === true;
    ensureRegularTarget(out);
    if (io.exists(out) && !force) {
      throw new UserError(`error: \`${out}\` already exists; pass --force to overwrite it`);
    }
    const model = loadModel(io, positional[0]!);
    const prepared = prepare(io, model, flags);
    let summary: ExportSummary;
    try {
      summary = writeFiles(io, out, prepared, { opset, force });
    } catch (e) {
      if (e instanceof OnnxExportError) {
        if (e.diagnostics.some((d) => d.span)) {
          throw located(
            model,
            e.diagnostics,
            `${model.path}: cannot export to ONNX opset ${opset}`,
          );
        }
        throw new UserError(`error: ${e.message}`);
      }
      throw e;
    }
    if (flags['json']) {
      const doc = {
        ok: true,
        model: prepared.graph.name,
        file: out,
        bytes: summary.modelBytes,
        opset: summary.opset,
        irVersion: summary.irVersion,
        ...(summary.external ? { data: `${out}.data`, dataBytes: summary.dataBytes } : {}),
      };
      io.stdout(JSON.stringify(doc) + '\n');
      return exitCode.ok;
    }
    const side = summary.external ? ` + ${out}.data (${summary.dataBytes} bytes)` : '';
    io.stdout(
      `wrote ${out} (${summary.modelBytes} bytes${side}): model \`${prepared.graph.name}\`, ONNX opset ${summary.opset}, IR ${summary.irVersion}\n`,
    );
    return exitCode.ok;
  },
};
