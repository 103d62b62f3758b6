/**
 * The backends the CLI can run on. A name that is not built yet is refused with the list of
 * those that are; nothing falls back to another backend.
 */
import type { Backend } from '@kiln/core';
import { cpuBackend } from '@kiln/backend-cpu';
import { createWasmBackend, wasmBackend } from '@kiln/backend-wasm';
import { UsageError } from './io.js';

const available: Record<string, (threads: number) => Backend> = {
  cpu: (threads) => {
    if (threads > 1) throw new UsageError('the cpu backend runs on one thread; drop --threads');
    return cpuBackend;
  },
  wasm: (threads) => (threads > 1 ? createWasmBackend({ threads }) : wasmBackend),
};
const planned = ['webgpu'];

export function pickBackend(name: string | undefined, threads = 1): Backend {
  const key = name ?? 'cpu';
  const make = available[key];
  if (make) {
    try {
      return make(threads);
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(e.message);
      throw e;
    }
  }
  if (planned.includes(key)) {
    throw new UsageError(
      `the \`${key}\` backend is not part of this build yet; available: ${Object.keys(available).join(', ')}`,
    );
  }
  throw new UsageError(
    `unknown backend \`${key}\`; available: ${Object.keys(available).join(', ')}`,
  );
}
