/** Test helpers: nodes built through core's attribute resolution, seeded tensors. */
import { expect } from 'vitest';
import { Rng, getOp, resolveAttrs } from '@kiln/core';
import type { Node, Tensor } from '@kiln/core';

export function node(
  name: string,
  op: string,
  inputs: string[],
  raw: Record<string, unknown> = {},
): Node {
  const map = new Map(Object.entries(raw).map(([k, v]) => [k, { value: v as never }]));
  const { attrs, diagnostics } = resolveAttrs(getOp(op)!, map, { node: name });
  expect(diagnostics).toEqual([]);
  return {
    name,
    op,
    inputs,
    attrs,
    span: { file: 't.kiln', start: 0, end: 1, line: 1, column: 1 },
  };
}

export function randomTensor(shape: number[], seed: number): Tensor {
  const rng = new Rng(seed);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { dtype: 'f32', shape, data };
}
