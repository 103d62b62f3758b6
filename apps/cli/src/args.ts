/**
 * A small declarative argument parser: each command lists its flags with their kinds, and every
 * mistake (unknown flag, missing value, bad number) is a usage error that names the flag.
 *
 * Numbers are read as decimal text only. `Number()` alone would also take `0x10`, `0b11`,
 * `Infinity` and a blank string (as 0), none of which a user means as a learning rate or a seed.
 */
import { closest } from '@kiln/core';
import { UsageError } from './io.js';

export type FlagKind = 'boolean' | 'string' | 'int' | 'number' | 'strings';

export interface FlagSpec {
  readonly kind: FlagKind;
  readonly doc: string;
  /** One-letter alias, as in `-o`. */
  readonly short?: string;
  /** For `int` flags: the smallest value accepted (`--top 0` shows nothing, so it is refused). */
  readonly min?: number;
  /** For `int` flags: the largest value accepted (`--threads`: the wasm backend's pool size). */
  readonly max?: number;
  /** For `number` flags: values must lie above this (`--lr 0` would train nothing). */
  readonly above?: number;
}

/** An optional sign, digits, and an optional fraction and exponent: `2`, `-0.5`, `1e-3`, `.5`. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

export type FlagValues = Record<string, string | boolean | number | string[] | undefined>;

export interface ParsedArgs {
  readonly positional: string[];
  readonly flags: FlagValues;
}

export function parseArgs(
  argv: readonly string[],
  specs: Readonly<Record<string, FlagSpec>>,
): ParsedArgs {
  const positional: string[] = [];
  const flags: FlagValues = {};
  const byShort = new Map(
    Object.entries(specs).flatMap(([name, s]) => (s.short ? [[s.short, name]] : [])),
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const [rawName, inline] = arg.startsWith('--')
      ? splitOnce(arg.slice(2))
      : [byShort.get(arg.slice(1)) ?? arg.slice(1), undefined];
    const name = rawName;
    const spec = specs[name];
    if (!spec) {
      const guess = closest(name, Object.keys(specs));
      throw new UsageError(
        `unknown option \`${arg}\`${guess ? ` (did you mean \`--${guess}\`?)` : ''}`,
      );
    }
    if (spec.kind === 'boolean') {
      if (inline !== undefined) throw new UsageError(`option \`--${name}\` takes no value`);
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`option \`--${name}\` needs a value`);
    // A second value would silently replace the first (`--epochs 1 ... --epochs 2`): refuse it.
    if (spec.kind !== 'strings' && flags[name] !== undefined) {
      throw new UsageError(
        `option \`--${name}\` is given twice (\`${String(flags[name])}\` and \`${value}\`)`,
      );
    }
    if (spec.kind === 'int') {
      flags[name] = intValue(name, value, spec);
    } else if (spec.kind === 'number') {
      flags[name] = numberValue(name, value, spec);
    } else if (spec.kind === 'strings') {
      const list = (flags[name] as string[] | undefined) ?? [];
      list.push(value);
      flags[name] = list;
    } else {
      flags[name] = value;
    }
  }
  return { positional, flags };
}

/** The whole range an `int` flag takes, stated in every refusal (not only the bound missed). */
function intValue(name: string, text: string, spec: FlagSpec): number {
  const min = spec.min ?? -Number.MAX_SAFE_INTEGER;
  const max = spec.max ?? Number.MAX_SAFE_INTEGER;
  // `+ 0` turns -0 into 0.
  const v = INTEGER.test(text) ? Number(text) + 0 : NaN;
  if (!(v >= min && v <= max)) {
    throw new UsageError(
      `option \`--${name}\` needs an integer from ${min} to ${max}, got \`${text}\``,
    );
  }
  return v;
}

function numberValue(name: string, text: string, spec: FlagSpec): number {
  const v = DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(v) || (spec.above !== undefined && !(v > spec.above))) {
    const above = spec.above === undefined ? '' : ` above ${spec.above}`;
    throw new UsageError(
      `option \`--${name}\` needs a finite decimal number${above} (such as 0.01 or 1e-3), ` +
        `got \`${text}\``,
    );
  }
  return v;
}

function splitOnce(s: string): [string, string | undefined] {
  const at = s.indexOf('=');
  return at < 0 ? [s, undefined] : [s.slice(0, at), s.slice(at + 1)];
}

export function helpText(usage: string, specs: Readonly<Record<string, FlagSpec>>): string {
  const lines = [`usage: ${usage}`];
  for (const [name, spec] of Object.entries(specs)) {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.kind === 'boolean' ? '' : ' VALUE'}`;
    lines.push(`  ${flag.padEnd(24)} ${spec.doc}`);
  }
  return lines.join('\n');
}
