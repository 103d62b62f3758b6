/**
 * Worker threads for Node (worker_threads). Each worker instantiates the threaded module over
 * the session's shared memory and loops: sleep until the control block's generation changes,
 * run its part of the task, count itself done, wake the session. The worker's code is a small
 * CommonJS script evaluated in the thread, so no file has to be found at run time.
 */
import type { SpawnWorker, WorkerHandle, WorkerInit } from './pool.js';

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctl, part, parts } = workerData;
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
`;

export async function nodeWorkers(): Promise<SpawnWorker | undefined> {
  let threads: typeof import('node:worker_threads');
  try {
    threads = await import('node:worker_threads');
  } catch {
    return undefined;
  }
  return (init: WorkerInit): WorkerHandle => {
    const worker = new threads.Worker(WORKER_SOURCE, { eval: true, workerData: init });
    return {
      watch(onDeath) {
        let reported = false;
        const report = (reason: string) => {
          if (!reported) onDeath(reason);
          reported = true;
        };
        worker.on('error', (e: Error) => report(e.message));
        worker.on('exit', (code: number) => report(`its thread exited with code ${code}`));
      },
      hold: (held) => (held ? worker.ref() : worker.unref()),
      terminate: () => void worker.terminate(),
    };
  };
}
