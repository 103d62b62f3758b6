/** Resolving and claiming names, with the hints that make a wrong name easy to fix. */
import { didYouMean, error } from '@kiln/core';
import type { Name } from '../ast.js';
import type { Lowering } from './context.js';
import type { Scope } from './scope.js';

/** The tensor a name stands for, or undefined after reporting why there is none. */
export function resolveName(ctx: Lowering, scope: Scope, name: Name): string | undefined {
  const binding = scope.lookup(name.text);
  if (binding) return binding.tensor;
  const later = scope.writtenLater(name.text);
  let hint: string | undefined;
  if (later) {
    hint = `\`${name.text}\` is defined at line ${later.line}; a statement reads only names defined before it`;
  } else if (name.text === 'in') {
    hint = '`in` is the input of a block; in a model, use the name of an `input`';
  } else {
    hint = didYouMean(name.text, scope.visible());
  }
  ctx.report(
    error('dsl/undefined-name', `\`${name.text}\` is not defined`, name.span, {
      ...(hint ? { hint } : {}),
      ...(later ? { notes: [{ message: 'defined here', span: later }] } : {}),
    }),
  );
  return undefined;
}

/** The name a statement may take in this scope; undefined (reported) when it is taken. */
export function claimName(ctx: Lowering, scope: Scope, name: Name): string | undefined {
  const first = scope.local(name.text);
  if (!first) return name.text;
  ctx.report(
    error('dsl/duplicate-name', `\`${name.text}\` is already defined`, name.span, {
      hint: 'give this statement another name',
      notes: [{ message: 'first defined here', span: first.span }],
    }),
  );
  return undefined;
}
