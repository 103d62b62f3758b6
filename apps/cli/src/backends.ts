/**
 * The backends the CLI can run on. An unknown name is refused with the list of those there
 * are; nothing falls back to another backend. WebGPU runs on Dawn (Node's `webgpu` package);
 * without a GPU it needs SwiftShader's Vulkan driver (see the README).
 */
import type { Backend } from '@kiln/core';
import { cpuBackend } from '@kiln/backend-cpu';
import { createWasmBackend, wasmBackend } from '@kiln/backend-wasm';
import { webgpuBackend } from '@kiln/backend-webgpu';
import type { FlagSpec } from './args.js';
import { UsageError } from './io.js';

/**
 * The most threads a wasm session takes: MAX_THREADS in packages/backend-wasm/src/backend.ts,
 * which the package's entry does not export. `--threads` states this range when it refuses a
 * value (test/cli/options.test.ts holds the two equal); createWasmBackend checks it again.
 */
export const WASM_MAX_THREADS = 64;

/** `--threads`, the same for every command that picks a backend. */
export const threadsFlag: FlagSpec = {
  kind: 'int',
  min: 1,
  max: WASM_MAX_THREADS,
  doc: `wasm: threads per session, 1 to ${WASM_MAX_THREADS} (default 1)`,
};

const available: Record<string, (threads: number) => Backend> = {
  cpu: (threads) => {
    if (threads > 1) throw new UsageError('the cpu backend runs on one thread; drop --threads');
    return cpuBackend;
  },
  wasm: (threads) => (threads > 1 ? createWasmBackend({ threads }) : wasmBackend),
  webgpu: (threads) => {
    if (threads > 1) throw new UsageError('--threads is for the wasm backend; drop it for webgpu');
    return webgpuBackend;
  },
};

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
  throw new UsageError(
    `unknown backend \`${key}\`; available: ${Object.keys(available).join(', ')}`,
  );
}
