export { cpuBackend, createCpuBackend } from './backend.js';
export type { CpuBackendOptions } from './backend.js';
export { runGraph } from './run-graph.js';
export { gemm, packA, packB, MR, NR } from './kernels/gemm.js';
export type { PackedA, PackedB } from './kernels/gemm.js';
