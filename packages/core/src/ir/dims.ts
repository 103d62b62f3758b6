/**
 * Arithmetic on dimensions that may be symbolic. A symbolic result is kept as a readable
 * expression string (`(H+1)/2`); two symbolic dimensions are equal when their strings are.
 * Concrete sizes must stay below 2^31 per dimension and 2^53 in product, or inference fails.
 */
import type { Dim, Shape } from './types.js';

export const MAX_DIM = 2 ** 31 - 1;

export function isKnown(d: Dim): d is number {
  return typeof d === 'number';
}

export function allKnown(shape: Shape): shape is readonly number[] {
  return shape.every(isKnown);
}

export function dimsEqual(a: Dim, b: Dim): boolean {
  return a === b;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => dimsEqual(d, b[i]!));
}

export function formatDim(d: Dim): string {
  return String(d);
}

export function formatShape(shape: Shape): string {
  return `[${shape.map(formatDim).join(', ')}]`;
}

function wrap(d: Dim): string {
  return typeof d === 'number' || /^[A-Za-z_][A-Za-z0-9_]*$/.test(d) ? String(d) : `(${d})`;
}

/** Product of dimensions; symbolic as soon as one factor is. */
export function product(dims: readonly Dim[]): Dim {
  let known = 1;
  const symbols: string[] = [];
  for (const d of dims) {
    if (isKnown(d)) known *= d;
    else symbols.push(wrap(d));
  }
  if (symbols.length === 0) return known;
  if (known === 0) return 0;
  return known === 1 ? symbols.join('*') : [String(known), ...symbols].join('*');
}

/** Elements of one sample: the product of all dimensions after the batch. */
export function sampleSize(shape: Shape): Dim {
  return product(shape.slice(1));
}

/**
 * Output length of a sliding window (conv, pool) along one axis:
 * floor or ceil of (in + padBefore + padAfter - dilation*(kernel-1) - 1) / stride, plus 1.
 * With `ceil`, a last window that would start in the right padding is dropped (PyTorch's rule).
 */
export function windowOutput(
  size: Dim,
  kernel: number,
  stride: number,
  padBefore: number,
  padAfter: number,
  dilation: number,
  ceil: boolean,
): Dim {
  const span = dilation * (kernel - 1) + 1;
  const extra = padBefore + padAfter - span;
  if (!isKnown(size)) {
    if (extra === -1 && stride === 1) return size;
    const shifted = extra === 0 ? wrap(size) : `${wrap(size)}${extra > 0 ? '+' : ''}${extra}`;
    return stride === 1 ? `${shifted}+1` : `${ceil ? 'ceil' : 'floor'}((${shifted})/${stride})+1`;
  }
  const numerator = size + extra;
  let out = (ceil ? Math.ceil(numerator / stride) : Math.floor(numerator / stride)) + 1;
  if (ceil && (out - 1) * stride >= size + padBefore) out -= 1;
  return out;
}
