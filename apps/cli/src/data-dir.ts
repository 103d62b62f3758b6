/**
 * `kiln train --data DIR` is checked before the model is loaded and sized: @kiln/train's loader
 * says "no such directory" for anything that is not a folder, a file included, and a folder it
 * may not list would end as an "internal error" quoting Node's EACCES. The words follow the
 * loader's `PATH: what`.
 */
import { readdirSync, statSync } from 'node:fs';
import { why } from './errno.js';
import { UserError } from './io.js';

function problem(dir: string): string | undefined {
  try {
    const st = statSync(dir);
    if (st.isFile()) return 'is a file, not a directory (--data takes the folder holding the data)';
    if (!st.isDirectory()) return 'is not a directory';
    readdirSync(dir);
    return undefined;
  } catch (e) {
    const code = (e as { code?: string }).code;
    return code === 'ENOENT' ? 'no such directory' : why(e);
  }
}

export function ensureDataDir(dir: string): void {
  const found = problem(dir);
  if (found) throw new UserError(`error: ${dir}: ${found}`);
}
