/**
 * The browser entry: no Node built-ins. Pass the modules as bytes or as URLs (for example
 * `new URL('@kiln/backend-wasm/kiln.wasm', import.meta.url)` under a bundler). With `threads` > 1
 * and `wasmThreaded` given, sessions run Web Workers over shared memory where the page is
 * cross-origin isolated (browser-workers.ts), and on one thread, saying why, elsewhere.
 */
import type { Backend } from '@kiln/core';
import type { WasmBackendOptions } from './backend.js';
import { createWasmBackend as createWith } from './backend.js';
import { browserWorkers } from './browser-workers.js';

export type { WasmBackendOptions } from './backend.js';
export type { WasmSource } from './module.js';
export type {
  SpawnWorker,
  WorkerHandle,
  WorkerInit,
  WorkerSupport,
  WorkersUnavailable,
} from './pool.js';
export type { BrowserWorkersOptions } from './browser-workers.js';
export { WORKER_SCRIPT, browserWorkers } from './browser-workers.js';

/** The WASM backend; `workers` defaults to `browserWorkers()`. */
export function createWasmBackend(options: WasmBackendOptions): Backend {
  return createWith({ ...options, workers: options.workers ?? browserWorkers() });
}
