/** Shared by the tests: example sources, and graphs compared without their spans. */
import { readFileSync } from 'node:fs';
import type { Diagnostic, Graph, Span } from '@kiln/core';
import { spanAt } from '@kiln/core';
import { expect } from 'vitest';

export const exampleNames = [
  'lenet5',
  'mlp-fashion',
  'alexnet',
  'vgg16',
  'resnet18',
  'googlenet',
] as const;

export function example(name: string): string {
  return readFileSync(new URL(`../../../examples/${name}.kiln`, import.meta.url), 'utf8');
}

/** A graph as plain data without source locations (and `frozen: false` same as absent). */
export function structure(graph: Graph): unknown {
  return {
    name: graph.name,
    outputs: graph.outputs,
    nodes: graph.nodes.map((n) => ({
      name: n.name,
      op: n.op,
      inputs: n.inputs,
      attrs: n.attrs,
      ...(n.frozen ? { frozen: true } : {}),
    })),
    ...(graph.training
      ? {
          training: Object.fromEntries(
            Object.entries(graph.training).map(([k, e]) => [
              k,
              { value: e.value, options: e.options },
            ]),
          ),
        }
      : {}),
  };
}

/** Asserts a span lies in the source and its line and column agree with its offset. */
export function expectValidSpan(span: Span | undefined, source: string): void {
  expect(span).toBeDefined();
  const s = span!;
  expect(s.line).toBeGreaterThanOrEqual(1);
  expect(s.start).toBeGreaterThanOrEqual(0);
  expect(s.start).toBeLessThanOrEqual(s.end);
  expect(s.end).toBeLessThanOrEqual(source.length);
  const at = spanAt(s.file, source, s.start, s.start);
  expect([s.line, s.column]).toEqual([at.line, at.column]);
}

export function expectValidDiagnostics(diagnostics: readonly Diagnostic[], source: string): void {
  for (const d of diagnostics) {
    expect(d.code).not.toBe('dsl/internal');
    expectValidSpan(d.span, source);
    for (const note of d.notes) if (note.span) expectValidSpan(note.span, source);
  }
}
