/**
 * Losses and gradients against PyTorch (tooling/fixtures/gen_grads.py, float64 truth), and the
 * gradients also against float64 central finite differences of the loss stored with each case:
 * an MLP 3→4→2 with batch 2 under MSE and cross-entropy, a small CNN (grouped and dilated conv,
 * batchnorm in training mode with its running statistics, max and average pooling, gelu), and
 * a network of sigmoid, tanh, leaky relu, softmax, concat and add under binary cross-entropy.
 *
 * Run on each backend that trains (cpu, wasm). Tolerance: 1e-5 relative to the largest
 * magnitude in each tensor; Kiln computes in float32 (the CPU backend with float64 sums, the
 * WASM GEMM in float32 lanes), so it only differs by its own rounding. A gradient that is zero in
 * exact arithmetic (a conv bias feeding batchnorm, which subtracts the batch mean) is compared
 * absolutely, at 1e-8: both sides then hold only rounding noise.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LossKind, Tensor } from '@kiln/core';
import { buildTrainingGraph } from '@kiln/core';
import { cpuBackend } from '@kiln/backend-cpu';
import { wasmBackend } from '@kiln/backend-wasm';
import { model } from './gradcheck.js';

interface Stored {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  kiln: string;
  loss: LossKind;
  input: Stored;
  target: Stored;
  weights: Record<string, Stored>;
  expected: {
    loss: number;
    grads: Record<string, Stored>;
    input: Stored;
    running?: { mean: Stored; var: Stored };
  };
  /** Central finite differences of the loss in float64 (step 1e-6), every entry. */
  finite: { grads: Record<string, Stored>; input: Stored };
}

const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/grads.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

const tensor = (s: Stored): Tensor => ({
  dtype: 'f32',
  shape: s.shape,
  data: Float32Array.from(s.data),
});

function expectClose(label: string, got: ArrayLike<number>, want: readonly number[]): void {
  expect(got.length, label).toBe(want.length);
  const scale = Math.max(...want.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  expect(worst, `${label}: max |diff| ${worst}, scale ${scale}`).toBeLessThanOrEqual(
    1e-5 * scale + 1e-8,
  );
}

it('has the MLP fixture the issue names', () => {
  const names = fixtures.cases.map((c) => c.name);
  expect(names).toContain('mlp 3-4-2, batch 2, mse_loss');
  expect(names).toContain('mlp 3-4-2, batch 2, softmax_cross_entropy');
});

describe.each([cpuBackend, wasmBackend].map((b) => [b.name, b] as const))(
  'gradients against PyTorch fixtures (%s)',
  (_, backend) => {
    for (const c of fixtures.cases) {
      it(c.name, async () => {
        const graph = model(c.kiln);
        const train = buildTrainingGraph(
          graph,
          { kind: c.loss, prediction: graph.outputs[0]! },
          { inputGrads: ['x'] },
        );
        const weights = new Map(Object.entries(c.weights).map(([k, v]) => [k, tensor(v)]));
        const session = await backend.compile(train.graph, weights);
        const out = await session.run({ x: tensor(c.input), [train.target]: tensor(c.target) });
        expectClose('loss', out[train.loss]!.data, [c.expected.loss]);
        expect([...train.paramGrads.keys()].sort()).toEqual(Object.keys(c.expected.grads).sort());
        for (const [param, want] of Object.entries(c.expected.grads)) {
          expectClose(param, out[train.paramGrads.get(param)!]!.data, want.data);
        }
        expectClose('dL/dx', out[train.inputGrads.get('x')!]!.data, c.expected.input.data);
        // The same gradients against float64 finite differences of the loss, which share no
        // code with any backward rule (PyTorch's or Kiln's).
        for (const [param, fd] of Object.entries(c.finite.grads)) {
          expectClose(
            `${param} (finite differences)`,
            out[train.paramGrads.get(param)!]!.data,
            fd.data,
          );
        }
        expectClose(
          'dL/dx (finite differences)',
          out[train.inputGrads.get('x')!]!.data,
          c.finite.input.data,
        );
        if (c.expected.running) {
          const stats = out[train.runningStats.get('bn')!]!.data;
          const channels = c.expected.running.mean.data.length;
          expectClose('running mean', stats.subarray(0, channels), c.expected.running.mean.data);
          expectClose('running var', stats.subarray(channels), c.expected.running.var.data);
        }
      });
    }
  },
);
