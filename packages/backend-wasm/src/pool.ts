/**
 * The worker pool: threads that share the session's memory and split conv and dense steps.
 * A task goes through the control block in that memory (i32 words: generation, done, op, args):
 * the session writes op and args, bumps the generation and wakes the workers, runs part 0
 * itself, then waits, without blocking the event loop, until every worker has counted itself
 * done. A worker that dies (an error, or its thread ended) fails the waiting run and every later
 * one with a message naming it; so does a worker that stops making progress (stopped by a
 * debugger or the OS, or stuck): no block claimed and no part finished for `stallMs`. Blocks
 * are small (a few milliseconds of work), so a healthy task never goes that long without one. This file uses no Node built-ins: each entry
 * supplies `SpawnWorker` (worker_threads in Node, Web Workers in browsers); where none can start,
 * sessions run on one thread and say why.
 */
import type { KilnExports } from './exports.js';
import { CTL_WORDS } from './layout.js';
import type { WasmMemory, WasmModule } from './module.js';
import type { Task } from './kernels/types.js';

/** What a worker needs: the module, the shared memory, its part and the control block. */
export interface WorkerInit {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly ctl: number;
  readonly part: number;
  readonly parts: number;
}

export interface WorkerHandle {
  /** Calls `onDeath` once, with a reason, if the worker fails or its thread ends. */
  watch(onDeath: (reason: string) => void): void;
  /** Keeps the host alive while a run waits for the worker (or lets it exit). */
  hold(held: boolean): void;
  terminate(): void;
}

export type SpawnWorker = (init: WorkerInit) => WorkerHandle;

/** Why a platform cannot start worker threads, worded for the session's `threadsNote`. */
export interface WorkersUnavailable {
  readonly unavailable: string;
}

/** What an entry's worker option gives: a spawner, or why there is none. */
export type WorkerSupport = SpawnWorker | WorkersUnavailable | undefined;

interface AtomicsWithWaitAsync {
  waitAsync(
    view: Int32Array,
    index: number,
    value: number,
    timeout?: number,
  ): { async: boolean; value: Promise<string> | string };
}
const { waitAsync } = Atomics as unknown as AtomicsWithWaitAsync;

/** No block claimed and no part finished for this long: the task is stalled. */
export const STALL_MS = 30_000;

const GENERATION = 0;
const DONE = 1;
const OP = 2;
const ARGS = 3;

/**
 * Writes a task's op and arguments into the control block, and zeros every argument word past
 * them: a kernel that reads a trailing word the task did not write (the block counter that
 * conv and dense claim work through) then reads 0, never a word left by an earlier task.
 */
export function writeTask(words: Int32Array, task: Task): void {
  words[OP] = task.op;
  task.args.forEach((a, i) => (words[ARGS + i] = a | 0));
  words.fill(0, ARGS + task.args.length);
}

export class ThreadPool {
  private failure: Error | undefined;
  private readonly died: Promise<void>;

  private constructor(
    private readonly memory: WasmMemory,
    private readonly ctl: number,
    private readonly workers: readonly WorkerHandle[],
    private readonly stallMs: number,
  ) {
    let signal: () => void = () => {};
    this.died = new Promise<void>((resolve) => (signal = resolve));
    workers.forEach((w, i) =>
      w.watch((reason) => {
        this.failure ??= new Error(
          `wasm worker thread ${i + 1} died (${reason}); this session cannot run any more`,
        );
        signal();
      }),
    );
  }

  /**
   * A pool of `threads` threads in all: the caller's plus threads - 1 workers. `stallMs`: how
   * long a task may go without progress before the pool gives up on it.
   */
  static start(spawn: SpawnWorker, init: Omit<WorkerInit, 'part'>, stallMs = STALL_MS): ThreadPool {
    const workers: WorkerHandle[] = [];
    for (let part = 1; part < init.parts; part++) {
      try {
        workers.push(spawn({ ...init, part }));
      } catch (e) {
        for (const w of workers) w.terminate();
        throw new Error(`cannot start wasm worker thread ${part}: ${(e as Error).message}`);
      }
    }
    workers.forEach((w) => w.hold(false));
    return new ThreadPool(init.memory, init.ctl, workers, stallMs);
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  /** Why the pool cannot run any more (a worker died, a kernel failed), if it cannot. */
  get broken(): Error | undefined {
    return this.failure;
  }

  /** Stops the workers (the session is being dropped). */
  stop(): void {
    for (const w of this.workers) w.terminate();
  }

  async run(exports: KilnExports, task: Task): Promise<void> {
    if (this.failure) throw this.failure;
    const words = new Int32Array(this.memory.buffer, this.ctl, CTL_WORDS);
    writeTask(words, task);
    Atomics.store(words, DONE, 0);
    Atomics.add(words, GENERATION, 1);
    Atomics.notify(words, GENERATION);
    try {
      exports.runTask(this.ctl, 0, this.threads);
    } catch (e) {
      // The workers may still be inside this task: the control block cannot be reused.
      this.failure = new Error(
        `a wasm kernel failed on the calling thread (${(e as Error).message}); ` +
          'this session cannot run any more',
      );
      throw this.failure;
    }
    const others = this.workers.length;
    // The last argument of conv and dense tasks is the block counter their threads claim work
    // through; the conv gradients split statically, and show progress only as parts finish.
    const counter = ARGS + task.args.length - 1;
    let seen = [Atomics.load(words, DONE), Atomics.load(words, counter)];
    let since = Date.now();
    this.workers.forEach((w) => w.hold(true));
    try {
      for (;;) {
        const done = Atomics.load(words, DONE);
        if (done === others) return;
        if (this.failure) throw this.failure;
        const now = [done, Atomics.load(words, counter)];
        if (now[0] !== seen[0] || now[1] !== seen[1]) {
          seen = now;
          since = Date.now();
        } else if (Date.now() - since >= this.stallMs) {
          this.failure = new Error(
            `wasm worker threads made no progress for ${this.stallMs} ms ` +
              `(${others - done} of ${others} still working); this session cannot run any more`,
          );
          throw this.failure;
        }
        const wait = waitAsync(words, DONE, done, Math.min(1000, this.stallMs));
        if (wait.async) await Promise.race([wait.value, this.died]);
      }
    } finally {
      this.workers.forEach((w) => w.hold(false));
    }
  }
}
