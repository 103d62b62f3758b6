/**
 * The WebGPU backend's browser test page (bundled by the harness; no Node built-ins): the
 * browser entry gets the page's `navigator.gpu`. It compiles a model from Kiln text, gives it
 * seeded weights and inputs, runs it on WebGPU (as written, or after a pass) and on the CPU
 * backend, and returns the scaled error with the session's info.
 */
import { cpuBackend } from '@kiln/backend-cpu';
import { createWebGpuBackend } from '@kiln/backend-webgpu/browser';
import type { SessionInfo } from '@kiln/core';
import { hasErrors, runPasses } from '@kiln/core';
import { compile } from '@kiln/dsl';
import { randomWeights } from '../passes/random_weights.js';
import { runOn, scaledError, seededInputs } from '../wasm/compare.js';

export interface CompareCase {
  readonly source: string;
  readonly file: string;
  readonly batch: number;
  /** A pass to run before WebGPU sees the model (the CPU runs it as written). */
  readonly pass?: string;
}

export interface CompareResult {
  /** The worst scaled error over the outputs. */
  readonly error: number;
  readonly info: SessionInfo;
}

export async function compareWithCpu(c: CompareCase): Promise<CompareResult> {
  const { graph, diagnostics } = compile(c.source, c.file);
  if (hasErrors(diagnostics) || !graph) throw new Error(`${c.file} does not compile`);
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) throw new Error('this page has no navigator.gpu');
  const weights = randomWeights(graph, 3);
  const inputs = seededInputs(graph, c.batch);
  const want = await runOn(cpuBackend, graph, weights, inputs);
  const ran = c.pass ? runPasses(graph, [c.pass], weights) : { graph, weights };
  const session = await createWebGpuBackend({ gpu }).compile(ran.graph, ran.weights!);
  const out = await session.run(inputs);
  // A pass may give [N, classes, 1, 1] where the model gave [N, classes]: compare the values.
  const errors = graph.outputs.map((name, i) => {
    const got = out[ran.graph.outputs[i]!]!;
    const reference = want[i]!;
    return got.data.length === reference.data.length
      ? scaledError({ ...got, shape: reference.shape }, reference)
      : Infinity;
  });
  return { error: Math.max(...errors), info: session.info };
}
