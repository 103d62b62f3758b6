/**
 * Failures a user can fix: bad data files, a training section that does not fit the model, a
 * step that produced NaN. Each says where (file, line, step, layer); the CLI prints the message
 * and exits 1. Diagnostics with a source span (the training section) are kept for rendering.
 */
import type { Diagnostic } from '@kiln/core';

export class TrainError extends Error {
  constructor(
    message: string,
    /** Located problems in the model text, when the training section is at fault. */
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'TrainError';
  }
}

/** A data file is missing, truncated or inconsistent; `file` names it. */
export class DataError extends TrainError {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'DataError';
  }
}
