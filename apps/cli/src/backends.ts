/**
 * The backends the CLI can run on. A name that is not built yet is refused with the list of
 * those that are; nothing falls back to another backend.
 */
import type { Backend } from '@kiln/core';
import { cpuBackend } from '@kiln/backend-cpu';
import { wasmBackend } from '@kiln/backend-wasm';
import { UsageError } from './io.js';

const available: Record<string, () => Backend> = {
  cpu: () => cpuBackend,
  wasm: () => wasmBackend,
};
const planned = ['webgpu'];

export function pickBackend(name: string | undefined): Backend {
  const key = name ?? 'cpu';
  const make = available[key];
  if (make) return make();
  if (planned.includes(key)) {
    throw new UsageError(
      `the \`${key}\` backend is not part of this build yet; available: ${Object.keys(available).join(', ')}`,
    );
  }
  throw new UsageError(
    `unknown backend \`${key}\`; available: ${Object.keys(available).join(', ')}`,
  );
}
