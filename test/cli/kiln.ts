/**
 * Runs the built `kiln` command the way a user does: a child process with arguments, reading
 * its exit code, stdout and stderr. `pnpm test` builds the workspace first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const main = join(root, 'apps/cli/dist/main.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function kiln(
  args: string[],
  options: { cwd?: string; input?: string; env?: Record<string, string>; timeout?: number } = {},
): Run {
  if (!existsSync(main))
    throw new Error('apps/cli is not built: run `pnpm build` (pnpm test does)');
  const r = spawnSync(process.execPath, [main, ...args], {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    // A command that hangs is killed (code null) rather than hanging the suite.
    timeout: options.timeout ?? 120_000,
    maxBuffer: 64 << 20,
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes files into a fresh temporary folder and returns its path. */
export function scratch(files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

export const example = (name: string) => join(root, 'examples', name);
