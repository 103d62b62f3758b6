/**
 * The kernel module: compiled once per backend from bytes or a URL, instantiated once per
 * session over that session's own memory. Nothing here touches Node built-ins; the Node entry
 * (index.ts) supplies the bytes of the dist/kiln.wasm that ships in the package.
 */
import type { KilnExports } from './exports.js';
import { PAGE } from './layout.js';

/**
 * The slice of the WebAssembly JS API used here, typed locally: Node's typings lack most of it
 * and the DOM library would bring browser globals into Node code.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
/** A compiled module; opaque here. */
export type WasmModule = object;
interface WasmApi {
  compile(bytes: ArrayBuffer | Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<{ exports: object }>;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Where the kernel module comes from: its bytes, a URL to fetch, or a function giving either. */
export type WasmSource =
  ArrayBuffer | Uint8Array | URL | string | (() => Promise<ArrayBuffer | Uint8Array>);

async function bytesOf(source: WasmSource): Promise<ArrayBuffer | Uint8Array> {
  if (typeof source === 'function') return source();
  if (source instanceof URL || typeof source === 'string') {
    const response = await fetch(source);
    if (!response.ok) throw new Error(`cannot fetch the kiln wasm module: ${response.status}`);
    return response.arrayBuffer();
  }
  return source;
}

/** Compiles the module (once per loader). */
export function moduleLoader(source: WasmSource): () => Promise<WasmModule> {
  let compiled: Promise<WasmModule> | undefined;
  return () => {
    compiled ??= bytesOf(source).then((bytes) => wasm.compile(bytes));
    return compiled;
  };
}

export interface Instance {
  readonly module: WasmModule;
  readonly exports: KilnExports;
  readonly memory: WasmMemory;
}

/**
 * A fresh instance over a fresh memory of at least `bytes`; shared (for worker threads, with the
 * threaded module) when `shared` is set, which needs the wasm32 maximum declared up front.
 */
export async function instantiate(
  module: WasmModule,
  bytes: number,
  shared = false,
): Promise<Instance> {
  const initial = Math.max(1, Math.ceil(bytes / PAGE));
  const memory = new wasm.Memory(shared ? { initial, maximum: 65536, shared } : { initial });
  const instance = await wasm.instantiate(module, { env: { memory } });
  return { module, exports: instance.exports as unknown as KilnExports, memory };
}

/** Grows `memory` to hold `bytes`; false when the engine refuses. */
export function ensureMemory(memory: WasmMemory, bytes: number): boolean {
  const pages = Math.ceil(bytes / PAGE) - memory.buffer.byteLength / PAGE;
  if (pages <= 0) return true;
  try {
    memory.grow(pages);
    return true;
  } catch {
    return false;
  }
}
