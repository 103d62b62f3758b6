/**
 * `kiln rewrite MODEL.kiln --pass NAME [--pass NAME] [--spatial] [--verify] [--json]
 * [-o OUT.kiln]`: runs rewrite passes and prints the rewritten model as Kiln text (or its IR as
 * JSON), or writes it to OUT.kiln. The pass reports (what changed, what was skipped and why) go
 * to stderr. `--verify` runs the model before and after on the CPU backend with the same seeded
 * weights and random input and prints the largest absolute and relative difference.
 */
import type { Graph, PipelineResult, VerifyResult, Weights } from '@kiln/core';
import { DiagnosticError, UnknownPassError, runPasses, verifyRewrite } from '@kiln/core';
import { cpuBackend } from '@kiln/backend-cpu';
import { printGraph } from '@kiln/dsl';
import type { Command } from '../command.js';
import { helpFlag, jsonFlag } from '../command.js';
import type { Io } from '../io.js';
import { exitCode, UsageError, UserError } from '../io.js';
import { ensureRunFits } from '../memory.js';
import { loadModel } from '../model.js';
import { reportText } from '../passes.js';
import { writeNew } from '../write.js';
import { chooseWeights } from '../weights.js';

/** Largest relative difference `--verify` accepts for passes that keep results. */
const TOLERANCE = 1e-5;

export const rewrite: Command = {
  name: 'rewrite',
  usage:
    'kiln rewrite MODEL.kiln --pass NAME [--pass NAME ...] [--spatial] ' +
    '[--verify [--weights F] [--seed S]] [--json] [-o OUT.kiln [--force]]',
  summary:
    'run rewrite passes (fc-to-conv, fold-batchnorm, drop-dropout, gap-head); print the result',
  flags: {
    pass: { kind: 'strings', doc: 'pass to run, in order (repeatable)' },
    spatial: {
      kind: 'boolean',
      doc: 'fc-to-conv: keep the spatial output map (fully convolutional)',
    },
    verify: { kind: 'boolean', doc: 'compare outputs before and after on the CPU backend' },
    weights: { kind: 'string', doc: 'safetensors weights for --verify (default: seeded init)' },
    seed: { kind: 'int', doc: 'seed for --verify weights and input (default 0)' },
    output: {
      kind: 'string',
      short: 'o',
      doc: 'write the rewritten model to a file instead of stdout',
    },
    force: { kind: 'boolean', doc: 'overwrite the -o file if it exists' },
    json: jsonFlag,
    help: helpFlag,
  },
  async run({ positional, flags }, io) {
    if (positional.length !== 1) throw new UsageError('rewrite takes exactly one model file');
    const names = (flags['pass'] as string[] | undefined) ?? [];
    if (!names.length)
      throw new UsageError(
        'give at least one --pass NAME (fc-to-conv, fold-batchnorm, drop-dropout, gap-head)',
      );
    const model = loadModel(io, positional[0]!);
    const seed = (flags['seed'] as number | undefined) ?? 0;
    const verify = flags['verify'] === true;
    if (verify) ensureRunFits(model.graph, {});
    const { weights } = verify
      ? chooseWeights(
          io,
          model,
          model.graph,
          model.shapes,
          flags['weights'] as string | undefined,
          seed,
        )
      : { weights: undefined };
    let result;
    try {
      result = runPasses(model.graph, names, weights, { spatial: flags['spatial'] === true });
    } catch (e) {
      if (e instanceof UnknownPassError) throw new UsageError(e.message);
      if (e instanceof DiagnosticError) throw new UserError(e.message);
      throw e;
    }
    for (const r of result.reports) io.stderr(reportText(r) + '\n');
    // Verification comes before any output: a rewrite that fails it is not handed to the user.
    const verdict = verify ? await verifyOutputs(io, model.graph, result, weights!, seed) : {};
    if (verdict.failed) return exitCode.internal;
    const text = flags['json']
      ? JSON.stringify(
          { graph: result.graph, reports: result.reports, verify: verdict.result },
          null,
          2,
        ) + '\n'
      : printGraph(result.graph);
    const out = flags['output'] as string | undefined;
    if (out) writeNew(io, out, new TextEncoder().encode(text), flags['force'] === true);
    else io.stdout(text);
    return exitCode.ok;
  },
};

interface Verdict {
  readonly result?: VerifyResult | 'skipped';
  readonly failed?: boolean;
}

async function verifyOutputs(
  io: Io,
  before: Graph,
  result: PipelineResult,
  weights: Weights,
  seed: number,
): Promise<Verdict> {
  if (result.changesResults) {
    io.stderr(
      'verify: skipped: these passes change the model (it needs retraining), so outputs are not comparable\n',
    );
    return { result: 'skipped' };
  }
  io.stderr('verify: running both models on the cpu backend ...\n');
  const v = await verifyRewrite(before, result.graph, (w) => result.weights ?? w, cpuBackend, {
    seed,
    weights,
  });
  for (const o of v.outputs) {
    io.stderr(
      `verify: ${o.before} -> ${o.after} [${o.shape.join(', ')}]: max |diff| ${o.maxAbs.toExponential(3)}, max relative ${o.maxRel.toExponential(3)}\n`,
    );
  }
  if (!(v.maxRel <= TOLERANCE)) {
    io.stderr(
      `verify: FAILED: relative difference ${v.maxRel} exceeds ${TOLERANCE}; this is a bug in a pass, nothing was written\n`,
    );
    return { result: v, failed: true };
  }
  io.stderr(`verify: ok (within ${TOLERANCE} relative)\n`);
  return { result: v };
}
