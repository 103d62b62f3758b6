/**
 * Hostile input: mutated examples, token soup and random text. compile must never throw, must
 * locate every diagnostic inside the source, and whatever compiles must print and read back to
 * the same graph.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, printGraph } from '../src/index.js';
import { example, exampleNames, expectValidDiagnostics, structure } from './helpers.js';

const vocabulary = [
  'model',
  'block',
  'input',
  'output',
  'repeat',
  'freeze',
  'train',
  'true',
  'false',
  'in',
  'conv',
  'dense',
  'maxpool',
  'relu',
  'add',
  'concat',
  'flatten',
  'batchnorm',
  'softmax',
  'x',
  'ch',
  'kernel',
  'stride',
  'pad',
  '=',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  ';',
  '\n',
  '+',
  '-',
  '*',
  '/',
  '0',
  '1',
  '3',
  '-1',
  '1e-5',
  '99999999999',
  '0.5',
  'f32',
  'N',
  '#',
  '`q`',
];

function check(source: string): void {
  const result = compile(source, 'f.kiln');
  expectValidDiagnostics(result.diagnostics, source);
  if (result.graph) {
    const again = compile(printGraph(result.graph), 'p.kiln');
    expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(structure(again.graph!)).toEqual(structure(result.graph));
  }
}

type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'replace-word'; index: number; text: string };

function mutate(source: string, mutations: readonly Mutation[]): string {
  let s = source;
  for (const m of mutations) {
    const at = Math.floor(m.kind === 'replace-word' ? 0 : m.at * s.length);
    if (m.kind === 'delete') s = s.slice(0, at) + s.slice(at + m.length);
    else if (m.kind === 'insert') s = s.slice(0, at) + m.text + s.slice(at);
    else {
      const words = s.split(/(\s+)/);
      const i = m.index % words.length;
      words[i] = m.text;
      s = words.join('');
    }
  }
  return s;
}

const word = fc.constantFrom(...vocabulary);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    length: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    text: fc.oneof(word, fc.string({ maxLength: 3 })),
  }),
  fc.record({ kind: fc.constant('replace-word' as const), index: fc.nat(), text: word }),
);

describe('compile on hostile input', () => {
  it('survives mutated examples', () => {
    const sources = exampleNames.map(example);
    fc.assert(
      fc.property(
        fc.constantFrom(...sources),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (src, ms) => check(mutate(src, ms)),
      ),
      { numRuns: 1500 },
    );
  });

  it('survives token soup inside a model', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 60 }), (words) =>
        check(`model m {\n  input x: f32[N, 3, 8, 8]\n${words.join(' ')}\n}\n`),
      ),
      { numRuns: 1500 },
    );
  });

  it('survives random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), check), { numRuns: 1000 });
  });

  it('finishes a megabyte of random text fast', () => {
    let state = 12345;
    const chars = 'abcxyz019 =()[]{},:;+-*/#`.\n\t';
    let source = '';
    for (let i = 0; i < 1_000_000; i++) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      source += chars[state % chars.length];
    }
    const started = performance.now();
    const result = compile(source, 'noise.kiln');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expectValidDiagnostics(result.diagnostics, source);
  });

  it('stops explosive expansion with a clear error', () => {
    const cases = [
      'model m {\n  input x: f32[N, 4]\n  repeat 10000 { repeat 10000 { relu } }\n}\n',
      'model m {\n  input x: f32[N, 4]\n  repeat 10000 { repeat 10000 { repeat 10000 { } } }\n}\n',
      'block a() {\n  relu\n  relu\n}\n' +
        Array.from(
          { length: 30 },
          (_, i) => `block b${i}() {\n  ${i ? `b${i - 1}` : 'a'}\n  ${i ? `b${i - 1}` : 'a'}\n}\n`,
        ).join('') +
        'model m {\n  input x: f32[N, 4]\n  b29\n}\n',
    ];
    for (const source of cases) {
      const started = performance.now();
      const result = compile(source, 'big.kiln');
      expect(performance.now() - started).toBeLessThan(3000);
      expect(result.diagnostics.map((d) => d.code)).toContain('dsl/too-large');
      expectValidDiagnostics(result.diagnostics, source);
    }
  });

  it('refuses deep nesting and long operator chains without overflowing the stack', () => {
    const deep = `model m {\n  input x: f32[N, 4]\n  reshape ${'['.repeat(100000)}\n}\n`;
    expect(compile(deep).diagnostics.map((d) => d.code)).toContain('parse/too-deep');
    const chain = `model m {\n  input x: f32[N, 4]\n  dense ${Array(100000).fill('1').join('+')}\n}\n`;
    const result = compile(chain);
    expect(result.diagnostics).toEqual([]);
    expect(result.graph!.nodes[1]!.attrs['units']).toBe(100000);
  });
});
