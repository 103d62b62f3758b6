/**
 * Runs onnx.checker (tooling/onnx/check.py, Debian's python3-onnx) on many files in one python
 * process: starting python and importing onnx costs about a second, so tests batch their files.
 * Without python3-onnx the checker tests fail in CI and are skipped elsewhere with the fix named.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const python = '/usr/bin/python3';
const script = join(root, 'tooling/onnx/check.py');

export const checkerMissingMessage =
  'onnx.checker tests skipped: python3-onnx is missing (apt-get install python3-onnx)';

export function checkerAvailable(): boolean {
  const r = spawnSync(python, ['-c', 'import onnx'], { encoding: 'utf8' });
  return r.status === 0;
}

/** Whether checker tests run here: always in CI, where a missing checker is a failure. */
export function useChecker(): boolean {
  if (process.env['CI'] === 'true') return true;
  const ok = checkerAvailable();
  if (!ok) console.warn(checkerMissingMessage);
  return ok;
}

export interface CheckOutcome {
  readonly file: string;
  readonly ok: boolean;
  readonly error?: string;
}

/** Checks `files` (weights inline) and `external` (weights in side files beside them). */
export function checkOnnx(
  files: readonly string[],
  external: readonly string[] = [],
): Map<string, CheckOutcome> {
  const args = [script, ...files, ...(external.length ? ['--external', ...external] : [])];
  const r = spawnSync(python, args, { encoding: 'utf8', timeout: 600_000 });
  if (r.error || (r.status !== 0 && r.status !== 1)) {
    throw new Error(
      `onnx checker did not run (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}\n${checkerMissingMessage}`,
    );
  }
  const out = new Map<string, CheckOutcome>();
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{"file"')) continue;
    const outcome = JSON.parse(line) as CheckOutcome;
    out.set(outcome.file, outcome);
  }
  return out;
}
