/**
 * How the printer writes names and attribute values so that they read back identically:
 * keywords and unusual names in backticks, `[k, k]` pairs and uniform pads in their short form.
 */
import type { AttrKind, AttrValue } from '@kiln/core';
import { keywords } from './lexer.js';

const plainName = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*$/;

export function formatName(name: string): string {
  if (plainName.test(name) && !keywords.includes(name)) return name;
  return `\`${name.replace(/[\\`]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}\``;
}

function scalar(v: number | string | boolean): string {
  if (typeof v === 'number') return String(v);
  return typeof v === 'boolean' ? String(v) : formatName(v);
}

function list(items: readonly (number | string)[]): string {
  return `[${items.map(scalar).join(', ')}]`;
}

function allSame(items: readonly (number | string)[]): boolean {
  return items.every((x) => x === items[0]);
}

/** A value in the shortest form the op's schema widens back to the same thing. */
export function formatValue(v: AttrValue, kind?: AttrKind): string {
  if (!Array.isArray(v)) return scalar(v as number | string | boolean);
  const items = v as readonly (number | string)[];
  if (kind === 'pair' && items.length === 2 && allSame(items)) return scalar(items[0]!);
  if (kind === 'pads' && items.length === 4) {
    if (allSame(items)) return scalar(items[0]!);
    if (items[0] === items[2] && items[1] === items[3]) return list(items.slice(0, 2));
  }
  return list(items);
}

export function valuesEqual(a: AttrValue | undefined, b: AttrValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  }
  return Object.is(a, b);
}
