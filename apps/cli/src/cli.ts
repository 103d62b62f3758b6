/**
 * The `kiln` command's dispatcher: finds the command, parses its flags, runs it, and turns every
 * failure into a message and an exit code (0 ok, 1 user error, 2 usage error, 3 internal fault).
 * Nothing reaches the user as a stack trace unless KILN_DEBUG is set.
 */
import { helpText, parseArgs } from './args.js';
import type { Command } from './command.js';
import { bench } from './commands/bench.js';
import { check } from './commands/check.js';
import { exportCommand } from './commands/export.js';
import { rewrite } from './commands/rewrite.js';
import { run } from './commands/run.js';
import { summary } from './commands/summary.js';
import { trainCommand } from './commands/train.js';
import { closest } from '@kiln/core';
import type { Diagnostic } from '@kiln/core';
import type { Io } from './io.js';
import { exitCode, UsageError, UserError } from './io.js';

export const commands: readonly Command[] = [
  check,
  summary,
  rewrite,
  run,
  exportCommand,
  bench,
  trainCommand,
];

function overview(): string {
  const lines = ['usage: kiln <command> [options]', '', 'commands:'];
  for (const c of commands) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  lines.push('', 'Run `kiln <command> --help` for its options.');
  return lines.join('\n') + '\n';
}

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(overview());
    return name === undefined ? exitCode.usage : exitCode.ok;
  }
  const command = commands.find((c) => c.name === name);
  const end = rest.indexOf('--');
  const asksJson = (end < 0 ? rest : rest.slice(0, end)).includes('--json');
  // A `--json` caller reads failures from stdout as JSON too (and the rendered text on stderr).
  let json = false;
  const failJson = (code: number, message: string, diagnostics: readonly Diagnostic[] = []) => {
    if (json)
      io.stdout(JSON.stringify({ ok: false, exitCode: code, error: message, diagnostics }) + '\n');
  };
  try {
    if (!command) {
      json = asksJson;
      const guess = closest(
        name,
        commands.map((c) => c.name),
      );
      throw new UsageError(
        `unknown command \`${name}\`${guess ? ` (did you mean \`${guess}\`?)` : ''}`,
      );
    }
    // Known before parsing, so a usage error in another flag still answers in JSON.
    json = 'json' in command.flags && asksJson;
    const args = parseArgs(rest, command.flags);
    if (args.flags['help']) {
      io.stdout(`${helpText(command.usage, command.flags)}\n`);
      return exitCode.ok;
    }
    return await command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      failJson(e.code, e.message);
      io.stderr(
        `kiln: ${e.message}\n${command ? `usage: ${command.usage}\n` : 'Run `kiln --help` for the commands.\n'}`,
      );
      return e.code;
    }
    if (e instanceof UserError) {
      failJson(e.code, e.message, e.diagnostics);
      io.stderr(`${e.message}\n`);
      return e.code;
    }
    const err = e as Error;
    failJson(exitCode.internal, `internal error: ${err?.message ?? String(e)}`);
    io.stderr(`kiln: internal error: ${err?.message ?? String(e)}\n`);
    if (process.env['KILN_DEBUG']) io.stderr(`${err?.stack ?? ''}\n`);
    else io.stderr('This is a bug in Kiln. Set KILN_DEBUG=1 for the stack trace.\n');
    return exitCode.internal;
  }
}
