import type { Diagnostic } from '@kiln/core';

/**
 * What a command may touch: output streams and the file system, passed in so tests can run
 * commands in-process and the entry point stays the only place that knows about `process`.
 */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Uint8Array;
  writeFile(path: string, data: Uint8Array): void;
  exists(path: string): boolean;
  /** Whether stderr is a terminal (progress bars only then). */
  readonly interactive: boolean;
}

/** Exit codes of DESIGN.md's CLI contract. */
export const exitCode = {
  ok: 0,
  /** The model, the weights or the input is wrong. */
  userError: 1,
  /** The command line is wrong. */
  usage: 2,
  /** A fault inside Kiln. */
  internal: 3,
} as const;

/** A failure the user can fix; its message is printed as is, without a stack. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: number = exitCode.userError,
    /** The located problems behind the message, for `--json` callers. */
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export class UsageError extends UserError {
  constructor(message: string) {
    super(message, exitCode.usage);
    this.name = 'UsageError';
  }
}

/** Diagnostics without a place in the model (a missing GPU driver), each with its hint. */
export function unlocated(diagnostics: readonly Diagnostic[]): UserError {
  const text = diagnostics
    .map((d) => `error: ${d.message}${d.hint ? `\n  hint: ${d.hint}` : ''}`)
    .join('\n');
  return new UserError(text, exitCode.userError, diagnostics);
}
