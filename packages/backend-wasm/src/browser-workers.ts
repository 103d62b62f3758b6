/**
 * Worker threads for browsers: dedicated Web Workers over the session's shared memory, speaking
 * the same control-block protocol as the Node threads (pool.ts). Each worker gets the compiled
 * module and the shared memory by postMessage, instantiates the threaded module over it and
 * loops: sleep until the generation changes, run its part, count itself done, wake the session.
 *
 * Shared memory crosses postMessage only in a cross-origin isolated page (served with
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`);
 * elsewhere `browserWorkers` says so and the session runs on one thread. The worker's code is
 * `WORKER_SCRIPT`, started from a blob: URL by default, so a bundle needs no extra file; a page
 * whose Content-Security-Policy forbids blob: workers can serve the copy shipped as
 * `dist/kiln-worker.js` (with the same two headers) and pass its URL as `script`.
 */
import type { WorkerHandle, WorkerInit, WorkerSupport } from './pool.js';

/** The worker's code: a classic script, no imports. */
export const WORKER_SCRIPT = `'use strict';
self.onmessageerror = () => {
  throw new Error('could not receive the wasm module and shared memory');
};
self.onmessage = (event) => {
  self.onmessage = null;
  const { module, memory, ctl, part, parts } = event.data;
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  const words = new Int32Array(memory.buffer, ctl, 3);
  let seen = 0;
  for (;;) {
    Atomics.wait(words, 0, seen);
    seen = Atomics.load(words, 0);
    exports.runTask(ctl, part, parts);
    Atomics.add(words, 1, 1);
    Atomics.notify(words, 1);
  }
};
`;

export interface BrowserWorkersOptions {
  /** The worker script's URL (a served copy of `dist/kiln-worker.js`); default: a blob: URL. */
  readonly script?: string | URL;
}

/** The slice of the browser's worker API used here, typed locally (no DOM library in Kiln). */
interface ErrorLikeEvent {
  readonly message?: string;
}
interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'error', listener: (event: ErrorLikeEvent) => void): void;
}
interface BrowserGlobals {
  readonly Worker?: new (url: string | URL, options?: { name?: string }) => WebWorker;
  readonly Blob?: new (parts: string[], options: { type: string }) => object;
  readonly URL: { createObjectURL?(blob: object): string };
  readonly crossOriginIsolated?: boolean;
  readonly Atomics: { readonly waitAsync?: unknown };
}

/** Why this page cannot run wasm worker threads, or undefined when it can. */
function missing(web: BrowserGlobals): string | undefined {
  if (typeof web.Worker !== 'function') return 'this platform has no Web Workers';
  if (web.crossOriginIsolated !== true) {
    return (
      'the page is not cross-origin isolated, so memory cannot be shared with workers (serve it ' +
      'with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)'
    );
  }
  if (typeof web.Atomics.waitAsync !== 'function') return 'this browser lacks Atomics.waitAsync';
  return undefined;
}

/**
 * The worker option for `createWasmBackend` in a browser: Web Workers where the page is cross-origin
 * isolated, otherwise the reason there are none.
 */
export function browserWorkers(options: BrowserWorkersOptions = {}): () => Promise<WorkerSupport> {
  return async () => {
    const web = globalThis as unknown as BrowserGlobals;
    const reason = missing(web);
    if (reason) return { unavailable: reason };
    const script = options.script ?? blobUrl(web);
    return (init) => spawnWebWorker(web.Worker!, script, init);
  };
}

let blob: string | undefined;
function blobUrl(web: BrowserGlobals): string {
  blob ??= web.URL.createObjectURL!(new web.Blob!([WORKER_SCRIPT], { type: 'text/javascript' }));
  return blob;
}

function spawnWebWorker(
  Worker: NonNullable<BrowserGlobals['Worker']>,
  script: string | URL,
  init: WorkerInit,
): WorkerHandle {
  const worker = new Worker(script, { name: `kiln-wasm-${init.part}` });
  // Death is recorded from the start, so a worker that fails before the pool watches it (its
  // script did not load) is still reported.
  let death: string | undefined;
  let onDeath: ((reason: string) => void) | undefined;
  const die = (reason: string) => {
    if (death !== undefined) return;
    death = reason;
    worker.terminate();
    onDeath?.(reason);
  };
  // An uncaught exception carries a message; a script that failed to load gives a bare event.
  worker.addEventListener('error', (event) =>
    die(event.message ? `it threw: ${event.message}` : 'its script could not be loaded'),
  );
  try {
    worker.postMessage(init);
  } catch (e) {
    worker.terminate();
    throw e;
  }
  return {
    watch(callback) {
      onDeath = callback;
      if (death !== undefined) callback(death);
    },
    // A browser keeps the page alive regardless: nothing to hold.
    hold: () => {},
    // A terminated Web Worker fires no event: say so here, as Node's exit event does.
    terminate: () => die('it was terminated'),
  };
}
