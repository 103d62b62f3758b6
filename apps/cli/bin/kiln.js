#!/usr/bin/env node
// The `kiln` bin: a committed file, not dist/main.js itself, so that `pnpm install` can link it
// before the first build (for a target that did not exist yet pnpm printed "Failed to create bin
// at node_modules/.bin/kiln"). Run before `pnpm build`, it says so instead of a module trace.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (existsSync(main)) {
  await import(main.href);
} else {
  process.stderr.write('kiln: the CLI is not built yet: run `pnpm build` in the repository\n');
  process.exitCode = 3;
}
