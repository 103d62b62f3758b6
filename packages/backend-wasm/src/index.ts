/**
 * The WASM backend for Node: the kernel module is read from the dist/kiln.wasm that ships in this
 * package. Browsers import `@kiln/backend-wasm/browser` and pass the module's URL or bytes.
 */
import type { Backend } from '@kiln/core';
import type { WasmBackendOptions } from './backend.js';
import { createWasmBackend as createWith } from './backend.js';
import { nodeWorkers } from './node-workers.js';

export type { WasmBackendOptions } from './backend.js';
export type { WasmSource } from './module.js';
export type {
  SpawnWorker,
  WorkerHandle,
  WorkerInit,
  WorkerSupport,
  WorkersUnavailable,
} from './pool.js';

/** The shipped modules. From src/ (tests) and dist/ alike, ../dist is the package's dist. */
export const WASM_FILE = new URL('../dist/kiln.wasm', import.meta.url);
export const WASM_THREADED_FILE = new URL('../dist/kiln-mt.wasm', import.meta.url);

const readShipped = (file: URL) => async (): Promise<Uint8Array> => {
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(file);
  } catch (e) {
    throw new Error(
      `the kiln wasm module is missing at ${file.pathname}: build @kiln/backend-wasm ` +
        `first (pnpm build). ${(e as Error).message}`,
    );
  }
};

/** The WASM backend; `threads` > 1 runs a worker_threads pool per session. */
export function createWasmBackend(options: Partial<WasmBackendOptions> = {}): Backend {
  return createWith({
    ...options,
    wasm: options.wasm ?? readShipped(WASM_FILE),
    wasmThreaded: options.wasmThreaded ?? readShipped(WASM_THREADED_FILE),
    workers: options.workers ?? nodeWorkers,
  });
}

/** The WASM backend with every kernel, reading the shipped module on first compile. */
export const wasmBackend: Backend = createWasmBackend();
