// The WASM section of the benchmarks: Kiln's WASM GEMM called directly on the shipped module
// (dist/kiln.wasm of @kiln/backend-wasm), and tfjs with its WASM backend (XNNPACK, SIMD) as the
// peer, on one thread like every other figure here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { WASM_FILE, createWasmBackend } from '@kiln/backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const { WebAssembly } = globalThis;
const PAGE = 65536;
const MR = 4;
const NR = 8;
const align = (x) => Math.ceil(x / 64) * 64;

let kilnModule;

/** Columns of B that gemmRaw packs per block (assembly/layout.ts NB) and its largest depth. */
const NB = 512;
const KC = 256;

/**
 * C = A·B on Kiln's WASM kernels, with A (m×k) and B (k×n) already in the module's memory, as a
 * tensor is inside a session. `packBoth` packs A, then multiplies by B as it lies (gemmRaw packs
 * B block by block into a buffer just before using it); `prepacked` packs only A and multiplies
 * by B packed beforehand (a dense layer's weight is packed once at compile time). Both zero C
 * first and copy it out, as a matmul returning a fresh tensor must.
 */
export async function kilnWasmGemm(m, k, n, a, b) {
  kilnModule ??= await WebAssembly.compile(readFileSync(WASM_FILE));
  const memory = new WebAssembly.Memory({ initial: 1 });
  const { exports: w } = await WebAssembly.instantiate(kilnModule, { env: { memory } });
  const A = align(w.heapBase());
  const B = align(A + m * k * 4);
  const C = align(B + k * n * 4);
  const PA = align(C + m * n * 4);
  const PB = align(PA + Math.ceil(m / MR) * MR * k * 4);
  const BUF = align(PB + Math.ceil(n / NR) * NR * k * 4);
  const TILE = align(BUF + KC * NB * 4);
  memory.grow(Math.ceil((TILE + 256) / PAGE) - 1);
  const heap = new Float32Array(memory.buffer);
  heap.set(a, A / 4);
  heap.set(b, B / 4);
  w.packB(B, n, 1, k, n, PB, 0, n);
  const multiply = (prepacked) => {
    heap.fill(0, C / 4, C / 4 + m * n);
    w.packA(A, k, 1, m, k, PA);
    if (prepacked) w.gemm(PA, PB, C, n, m, n, k, TILE);
    else w.gemmRaw(PA, B, n, C, n, m, n, k, BUF, TILE);
    return heap.slice(C / 4, C / 4 + m * n);
  };
  return { packBoth: () => multiply(false), prepacked: () => multiply(true) };
}

/** The Kiln WASM backend (the shipped module), for suites that compile graphs. */
export const kilnWasmBackend = createWasmBackend();
/** The same with a worker pool: the caller's thread and one worker. */
export const kilnWasmTwoThreads = createWasmBackend({ threads: 2 });
/** One thread, every 3x3 conv on Winograd F(2x2, 3x3) (the closer rounding training uses). */
export const kilnWasmWinograd2 = createWasmBackend({ winograd: '2x2' });

/**
 * C = A·B as a dense layer in a session: X = A (m×k) is the input, the weight is Bᵀ (n×k), packed
 * at compile time; a run copies A in and C out. Returns the session's run and its thread count.
 */
export async function kilnWasmDense(backend, m, k, n, a, b) {
  const graph = {
    name: 'gemm',
    nodes: [
      { name: 'x', op: 'input', inputs: [], attrs: { shape: [m, k], dtype: 'f32' } },
      { name: 'y', op: 'dense', inputs: ['x'], attrs: { units: n, bias: false } },
    ],
    outputs: ['y'],
  };
  const wt = new Float32Array(n * k);
  for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) wt[j * k + p] = b[p * n + j];
  const weights = new Map([['y.weight', { dtype: 'f32', shape: [n, k], data: wt }]]);
  const session = await backend.compile(graph, weights);
  const inputs = { x: { dtype: 'f32', shape: [m, k], data: a } };
  return {
    run: async () => (await session.run(inputs)).y.data,
    threads: session.info.details.threads,
  };
}

let tfReady;
/**
 * tfjs on its WASM backend, one thread. tfjs keeps one active backend: callers switch back with
 * `tf.setBackend('cpu')` before using the CPU peer again.
 */
export async function tfjsWasm() {
  if (!tfReady) {
    const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    setWasmPaths(`${join(dirname(pkg), '..', 'dist')}/`);
    setThreadsCount(1);
    tfReady = tf.ready();
  }
  await tfReady;
  await tf.setBackend('wasm');
  tf.enableProdMode();
  return tf;
}
