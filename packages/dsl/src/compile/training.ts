/**
 * The `train { ... }` section, kept as written: each line is a key, at most one value, and named
 * options (`optimizer sgd momentum=0.9`). The training package decides what the keys mean.
 */
import type { AttrValue, TrainingConfig, TrainingEntry } from '@kiln/core';
import { error } from '@kiln/core';
import type { TrainSection } from '../ast.js';
import type { Lowering } from './context.js';
import { evaluate } from './values.js';

/** Sets an own property even for keys such as `__proto__`. */
function put<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

export function lowerTraining(ctx: Lowering, section: TrainSection): TrainingConfig {
  const config: Record<string, TrainingEntry> = {};
  const report = (d: Parameters<Lowering['report']>[0]) => ctx.report(d);
  for (const entry of section.entries) {
    const key = entry.key.text;
    if (Object.prototype.hasOwnProperty.call(config, key)) {
      ctx.report(error('dsl/train-entry', `\`${key}\` is set twice`, entry.key.span));
      continue;
    }
    const positional = entry.args.filter((a) => !a.key);
    if (positional.length > 1) {
      ctx.report(
        error(
          'dsl/train-entry',
          `\`${key}\` takes one value, got ${positional.length}`,
          positional[1]!.span,
          {
            hint: 'name the others: `key=value`',
          },
        ),
      );
      continue;
    }
    const options: Record<string, AttrValue> = {};
    let ok = true;
    for (const arg of entry.args) {
      const value = evaluate(arg.value, new Map(), report);
      if (value === undefined) ok = false;
      else if (arg.key && Object.prototype.hasOwnProperty.call(options, arg.key.text)) {
        ctx.report(error('dsl/train-entry', `\`${arg.key.text}\` is given twice`, arg.key.span));
        ok = false;
      } else if (arg.key) put(options, arg.key.text, value);
    }
    const first = positional[0];
    const value = first ? evaluate(first.value, new Map(), () => {}) : true;
    if (!ok || value === undefined) continue;
    put(config, key, { value, options, span: { ...entry.span } });
  }
  return config;
}
