/**
 * `kiln bench [--backend B] [--threads T] [--budget MS] [--json]`: times Kiln's own kernels and small models on one backend,
 * through the same Backend interface users call. Comparisons with other libraries live in
 * `pnpm bench` (tooling/bench), which needs those libraries installed; this command needs none.
 */
import type { Backend, Tensor } from '@kiln/core';
import { DiagnosticError, initWeights } from '@kiln/core';
import { compile } from '@kiln/dsl';
import type { Command } from '../command.js';
import { helpFlag, jsonFlag } from '../command.js';
import { pickBackend, threadsFlag } from '../backends.js';
import { randomInputs } from '../inputs.js';
import { exitCode, UsageError, unlocated } from '../io.js';
import { renderTable } from '../table.js';

interface Case {
  readonly name: string;
  readonly source: string;
  /** Floating-point operations of one run (2 per multiply-accumulate). */
  readonly flops: number;
}

const cases: readonly Case[] = [
  {
    name: 'gemm 512x512x512 (dense, batch 512)',
    source: 'model gemm {\n  input x: f32[512, 512]\n  dense 512 bias=false\n}\n',
    flops: 2 * 512 ** 3,
  },
  {
    name: 'conv 3x3 [1,64,56,56] -> 64',
    source: 'model conv {\n  input x: f32[1, 64, 56, 56]\n  conv 64 kernel=3 pad=1 bias=false\n}\n',
    flops: 2 * 64 * 64 * 9 * 56 * 56,
  },
  {
    name: 'mlp 784-256-128-100-10 (batch 64)',
    source:
      'model mlp {\n  input x: f32[64, 784]\n  dense 256 relu\n  dense 128 relu\n  dense 100 relu\n  dense 10\n}\n',
    flops: 2 * 64 * (784 * 256 + 256 * 128 + 128 * 100 + 100 * 10),
  },
];

async function time(backend: Backend, c: Case, budgetMs: number): Promise<number> {
  const { graph, shapes } = compile(c.source, `${c.name}.kiln`);
  if (!graph || !shapes) throw new Error(`bench model ${c.name} does not compile`);
  const session = await backend.compile(graph, initWeights(graph, shapes, 0));
  const inputs: Record<string, Tensor> = randomInputs(graph, 0, {});
  await session.run(inputs);
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (performance.now() - start < budgetMs && times.length < 100)) {
    const t0 = performance.now();
    await session.run(inputs);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export const bench: Command = {
  name: 'bench',
  usage: 'kiln bench [--backend cpu|wasm|webgpu] [--threads T] [--budget MS] [--json]',
  summary: "time Kiln's kernels on a backend (peers: `pnpm bench`)",
  flags: {
    backend: { kind: 'string', doc: 'backend to time: cpu (default), wasm or webgpu' },
    threads: threadsFlag,
    budget: { kind: 'int', min: 1, doc: 'milliseconds to spend per case (default 1000)' },
    json: jsonFlag,
    help: helpFlag,
  },
  async run({ positional, flags }, io) {
    if (positional.length) throw new UsageError('bench takes no positional arguments');
    const backend = pickBackend(
      flags['backend'] as string | undefined,
      (flags['threads'] as number | undefined) ?? 1,
    );
    const budget = (flags['budget'] as number | undefined) ?? 1000;
    const results = [];
    for (const c of cases) {
      io.stderr(`bench: ${c.name} ...\n`);
      let ms: number;
      try {
        ms = await time(backend, c, budget);
      } catch (e) {
        // A backend that cannot start here (no GPU adapter) says what to install.
        if (e instanceof DiagnosticError) throw unlocated(e.diagnostics);
        throw e;
      }
      results.push({ name: c.name, ms, gflops: c.flops / (ms * 1e6) });
    }
    if (flags['json']) {
      io.stdout(JSON.stringify({ backend: backend.name, results }) + '\n');
    } else {
      const rows = results.map((r) => [r.name, r.ms.toFixed(2), r.gflops.toFixed(2)]);
      io.stdout(
        `backend ${backend.name}, median of repeated runs\n\n${renderTable(['case', 'ms', 'GFLOP/s'], rows, ['left', 'right', 'right'])}\n`,
      );
    }
    return exitCode.ok;
  },
};
