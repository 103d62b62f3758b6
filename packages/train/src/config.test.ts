import { describe, expect, it } from 'vitest';
import type { Graph } from '@kiln/core';
import { compile } from '@kiln/dsl';
import { readTrainConfig } from './config.js';
import { bindLoss, checkLabels } from './loss.js';

function model(body: string, train = ''): Graph {
  const r = compile(`model m {\n  input x: f32[N, 3]\n${body}\n${train}}\n`, 'm.kiln');
  if (!r.graph) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.graph;
}

describe('training settings', () => {
  it('reads the section, and flags override it', () => {
    const g = model(
      '  dense 2',
      '  train {\n    loss cross_entropy\n    optimizer adam beta1=0.8 weight_decay=0.01\n    lr 0.003\n    batch_size 8\n    epochs 4\n  }\n',
    );
    const c = readTrainConfig(g);
    expect(c).toMatchObject({ loss: 'cross_entropy', batchSize: 8, epochs: 4, seed: 0 });
    expect(c.optimizer).toMatchObject({ kind: 'adam', lr: 0.003, beta1: 0.8, weightDecay: 0.01 });
    expect(readTrainConfig(g, { epochs: 1, lr: 0.5 })).toMatchObject({
      epochs: 1,
      optimizer: { lr: 0.5 },
    });
  });

  it('locates every mistake in the section', () => {
    const g = model(
      '  dense 2',
      '  train {\n    los mse\n    optimizer sgd momentun=0.9\n    lr -1\n  }\n',
    );
    let problems: readonly {
      message: string;
      span?: { start: { line: number } };
      hint?: string;
    }[] = [];
    try {
      readTrainConfig(g);
    } catch (e) {
      problems = (e as { diagnostics: typeof problems }).diagnostics;
    }
    expect(problems.map((p) => p.message)).toEqual([
      'unknown training key `los`',
      '`sgd` has no option `momentun`',
      '`lr` must be a positive number, got `-1`',
    ]);
    expect(problems[0]!.hint).toMatch(/loss/);
    expect(problems[1]!.hint).toMatch(/momentum/);
  });

  it('needs a loss', () => {
    expect(() => readTrainConfig(model('  dense 2'))).toThrow(
      /the training settings have 1 problem/,
    );
  });
});

describe('binding a loss to the model', () => {
  it('fuses cross-entropy with a final softmax, reading its logits', () => {
    const r = compile('model m {\n  input x: f32[N, 3]\n  z = dense 4\n  softmax\n}\n', 'm');
    const loss = bindLoss(r.graph!, r.shapes!, 'cross_entropy');
    expect(loss).toMatchObject({ kind: 'softmax_cross_entropy', prediction: 'z', width: 4 });
  });

  it('refuses outputs that do not fit the loss, at the output layer', () => {
    const one = compile('model m {\n  input x: f32[N, 3]\n  dense 1\n}\n', 'm');
    expect(() => bindLoss(one.graph!, one.shapes!, 'cross_entropy')).toThrow(
      'cross_entropy needs scores for 2 or more classes; `dense1` is [N, 1]',
    );
    const two = compile('model m {\n  input x: f32[N, 3]\n  dense 2\n}\n', 'm');
    expect(() => bindLoss(two.graph!, two.shapes!, 'bce')).toThrow(
      'bce needs one score per sample [N, 1]; `dense1` is [N, 2]',
    );
    const bce = bindLoss(one.graph!, one.shapes!, 'bce');
    expect(() => checkLabels(bce, Int32Array.from([0, 1, 2]), 'd')).toThrow(
      'd: label 2 of sample 2 does not fit: bce needs labels 0 or 1',
    );
  });
});
