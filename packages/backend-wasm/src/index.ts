/**
 * The WASM backend for Node: the kernel module is read from the dist/kiln.wasm that ships in this
 * package. Browsers import `@kiln/backend-wasm/browser` and pass the module's URL or bytes.
 */
import type { Backend } from '@kiln/core';
import type { WasmBackendOptions } from './backend.js';
import { createWasmBackend as createWith } from './backend.js';

export type { WasmBackendOptions } from './backend.js';
export type { WasmSource } from './module.js';

/** The shipped module. From src/ (tests) and from dist/ alike, ../dist is the package's dist. */
export const WASM_FILE = new URL('../dist/kiln.wasm', import.meta.url);

async function readShipped(): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(WASM_FILE);
  } catch (e) {
    throw new Error(
      `the kiln wasm module is missing at ${WASM_FILE.pathname}: build @kiln/backend-wasm ` +
        `first (pnpm build). ${(e as Error).message}`,
    );
  }
}

export function createWasmBackend(options: Partial<WasmBackendOptions> = {}): Backend {
  return createWith({ ...options, wasm: options.wasm ?? readShipped });
}

/** The WASM backend with every kernel, reading the shipped module on first compile. */
export const wasmBackend: Backend = createWasmBackend();
