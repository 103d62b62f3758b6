/**
 * The browser entry: no Node built-ins. Pass the module as bytes or as a URL (for example
 * `new URL('@kiln/backend-wasm/kiln.wasm', import.meta.url)` under a bundler).
 */
export { createWasmBackend } from './backend.js';
export type { WasmBackendOptions } from './backend.js';
export type { WasmSource } from './module.js';
