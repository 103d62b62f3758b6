import { describe, expect, it } from 'vitest';
import type { Pass, Tensor } from '../../src/index.js';
import {
  DiagnosticError,
  PassFaultError,
  UnknownPassError,
  getPass,
  passNames,
  runPasses,
} from '../../src/index.js';
import { chain } from './build.js';

describe('pass registry', () => {
  it('knows every pass by name and suggests one for a typo', () => {
    expect(passNames).toEqual(['fc-to-conv', 'fold-batchnorm', 'drop-dropout', 'gap-head']);
    expect(getPass('fc-to-conv').name).toBe('fc-to-conv');
    expect(() => getPass('fc-to-cnv')).toThrow(UnknownPassError);
    expect(() => getPass('fc-to-cnv')).toThrow('did you mean `fc-to-conv`?');
  });
});

describe('runPasses', () => {
  const graph = chain(
    'm',
    ['x', ['N', 4]],
    [
      ['fc1', 'dense', { units: 3, bias: false }],
      ['bn', 'batchnorm'],
      ['drop', 'dropout'],
      ['fc2', 'dense', { units: 2, bias: false }],
    ],
  );
  const t = (shape: number[], v: number): Tensor => ({
    dtype: 'f32',
    shape,
    data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(v),
  });
  const weights = new Map([
    ['fc1.weight', t([3, 4], 1)],
    ['bn.weight', t([3], 2)],
    ['bn.bias', t([3], 0)],
    ['bn.running_mean', t([3], 0)],
    ['bn.running_var', t([3], 3)],
    ['fc2.weight', t([2, 3], 1)],
  ]);

  it('runs passes in order, maps weights through each and collects reports', () => {
    const result = runPasses(graph, ['fold-batchnorm', 'drop-dropout', 'fc-to-conv'], weights);
    expect(result.graph.nodes.map((n) => `${n.name}:${n.op}`)).toEqual([
      'x:input',
      'x_map:reshape',
      'fc1:conv',
      'fc2:conv',
      'fc2_flat:flatten',
    ]);
    expect(result.reports.map((r) => r.pass)).toEqual([
      'fold-batchnorm',
      'drop-dropout',
      'fc-to-conv',
    ]);
    // fold: scale = 2 / sqrt(3 + 1e-5); then fc-to-conv reshapes to [3, 4, 1, 1].
    const w = result.weights!.get('fc1.weight')!;
    expect(w.shape).toEqual([3, 4, 1, 1]);
    expect(w.data[0]).toBeCloseTo(2 / Math.sqrt(3 + 1e-5), 6);
    expect([...result.weights!.keys()].sort()).toEqual(['fc1.bias', 'fc1.weight', 'fc2.weight']);
    expect(result.shapes.get('fc2_flat')).toEqual(['N', 2]);
    expect(result.changesResults).toBe(false);
  });

  it('refuses an input graph that does not check', () => {
    const broken = { ...graph, outputs: ['nope'] };
    expect(() => runPasses(broken, ['drop-dropout'])).toThrow(DiagnosticError);
  });

  it('names a pass that produced an invalid graph', () => {
    const faulty: Pass = {
      name: 'faulty',
      summary: 'drops the input node',
      changesResults: false,
      run: (g) => ({
        graph: { ...g, nodes: g.nodes.slice(1) },
        report: { pass: 'faulty', changed: [], skipped: [], notes: [] },
      }),
    };
    expect(() => runPasses(graph, ['drop-dropout', faulty])).toThrow(PassFaultError);
    expect(() => runPasses(graph, [faulty])).toThrow(/pass `faulty` produced an invalid graph/);
  });
});
