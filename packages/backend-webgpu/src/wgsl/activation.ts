/**
 * The elementwise activations as WGSL expressions, shared by their own kernels and by the
 * kernels that fuse an activation into the value they store (conv, dense, batchnorm, add).
 * An activation's code depends on its op and, for GELU, its form; leaky ReLU's slope is a
 * parameter, so every slope shares one pipeline.
 */
import { str } from '@kiln/core';
import type { Node } from '@kiln/core';
import type { ShaderBuilder } from './builder.js';
import { ERFC, GELU_A, GELU_C, LEAKY, SIGMOID, TANH } from './math.js';

export const ACTIVATIONS: ReadonlySet<string> = new Set([
  'relu',
  'sigmoid',
  'tanh',
  'leaky_relu',
  'gelu',
]);

/** An activation node applied to a value; undefined is the identity. */
export type Activation = Pick<Node, 'op' | 'attrs'> | undefined;

/** The part of a program's cache key the activation decides. */
export function activationKey(a: Activation): string {
  if (!a) return 'id';
  return a.op === 'gelu' ? `gelu-${str(a.attrs, 'approximate')}` : a.op;
}

/** Uniform values the activation's code reads. */
export function activationScalars(a: Activation): Record<string, number> {
  return a?.op === 'leaky_relu' ? { act_alpha: a.attrs['alpha'] as number } : {};
}

/** The WGSL expression of `a` applied to the f32 expression `v` (which it may repeat). */
export function applyActivation(s: ShaderBuilder, a: Activation, v: string): string {
  if (!a) return v;
  switch (a.op) {
    case 'relu':
      return `max(${v}, 0.0)`;
    case 'sigmoid':
      s.define(SIGMOID);
      return `k_sigmoid(${v})`;
    case 'tanh':
      s.define(TANH);
      return `k_tanh(${v})`;
    case 'leaky_relu':
      s.define(LEAKY);
      return `k_leaky(${v}, ${s.param('act_alpha', 'f32')})`;
    case 'gelu':
      return gelu(s, a, v);
    default:
      throw new Error(`no WGSL activation for op ${a.op}`);
  }
}

function gelu(s: ShaderBuilder, a: NonNullable<Activation>, v: string): string {
  if (str(a.attrs, 'approximate') === 'tanh') {
    s.define(TANH);
    s.define(`
fn k_gelu_tanh(x: f32) -> f32 {
  return 0.5 * x * (1.0 + k_tanh(${GELU_C} * (x + ${GELU_A} * x * x * x)));
}`);
    return `k_gelu_tanh(${v})`;
  }
  s.define(ERFC);
  // x·Φ(x) with Φ(x) = erfc(−x/√2)/2: the negative tail keeps its relative accuracy.
  s.define(`
fn k_gelu(x: f32) -> f32 {
  return 0.5 * x * k_erfc(-x * 0.7071067811865476);
}`);
  return `k_gelu(${v})`;
}
