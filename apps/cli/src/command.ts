/** The shape of a CLI command: its usage line, flags, and what it does. */
import type { FlagSpec, ParsedArgs } from './args.js';
import type { Io } from './io.js';

export interface Command {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Returns the exit code; throws UserError / UsageError for located failures. */
  run(args: ParsedArgs, io: Io): Promise<number> | number;
}

export const helpFlag: FlagSpec = { kind: 'boolean', short: 'h', doc: 'show this help' };
export const jsonFlag: FlagSpec = { kind: 'boolean', doc: 'print one JSON document on stdout' };
