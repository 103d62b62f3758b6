/**
 * Diagnostics are data: a stable code, a message, where it happened, and notes. They are worded
 * where they are created and rendered in one place (`render.ts`).
 */
import type { Span } from './span.js';

export type Severity = 'error' | 'warning';

/** A secondary message, optionally pointing at another place ("first defined here"). */
export interface Note {
  readonly message: string;
  readonly span?: Span;
}

export interface Diagnostic {
  /** Stable identifier, `area/what` (for example `check/shape-mismatch`). Tests match on it. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span?: Span;
  /** A suggestion shown after the caret ("did you mean `maxpool`?"). */
  readonly hint?: string;
  readonly notes: readonly Note[];
}

export function error(
  code: string,
  message: string,
  span?: Span,
  extra: { hint?: string; notes?: Note[] } = {},
): Diagnostic {
  return {
    code,
    severity: 'error',
    message,
    ...(span ? { span } : {}),
    ...(extra.hint ? { hint: extra.hint } : {}),
    notes: extra.notes ?? [],
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** An exception that carries diagnostics, for APIs that return a value or fail. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('\n'));
    this.name = 'DiagnosticError';
  }
}
