#!/usr/bin/env node
/** Entry point of the `kiln` command: binds the CLI to this process's streams and files. */
import { existsSync, writeFileSync } from 'node:fs';
import { runCli } from './cli.js';
import type { Io } from './io.js';
import { readRegularFile } from './read.js';

const io: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readRegularFile(path),
  writeFile: (path, data) => writeFileSync(path, data),
  exists: (path) => existsSync(path),
  interactive: process.stderr.isTTY === true,
};

// Writing to a closed pipe (`kiln summary m.kiln | head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`kiln: internal error: ${String(e)}\n`);
    process.exitCode = 3;
  },
);
