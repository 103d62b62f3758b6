/**
 * Sizes the TypeScript side needs to lay out buffers for the kernels. They mirror
 * assembly/layout.ts and assembly/conv.ts; a mismatch shows up at once in the conformance tests
 * (packed weights would be read at the wrong offsets).
 */

/** Rows and columns of the GEMM register tile. */
export const MR = 4;
export const NR = 8;
/** Output positions im2col packs per block (assembly/conv.ts). */
export const CONV_COLS = 256;
/**
 * conv's method argument (assembly/task.ts): im2col and GEMM, Winograd F(2x2, 3x3) or Winograd
 * F(4x4, 3x3).
 */
export const CONV_IM2COL = 0;
export const CONV_WINOGRAD = 1;
export const CONV_WINOGRAD4 = 2;
/**
 * Input and output channels from which a 3x3 stride-1 conv runs as Winograd: with fewer, its
 * 16 GEMMs are too shallow to repay the transforms (a first layer on RGB stays im2col).
 */
export const WINOGRAD_MIN_CHANNELS = 16;
/**
 * About the most output tiles one Winograd block holds, by tile size (2x2: 64 tiles, 4x4: 32):
 * its V and M, (tile + 2)^2 matrices each, stay in L2.
 */
export const winogradTiles = (tile: number): number => (tile === 4 ? 32 : 64);
/** Bytes of small buffers after a Winograd part's V and M (assembly/winograd.ts). */
export const WINOGRAD_SMALL_BYTES = 1024;
/**
 * Output positions per block of conv's backward kernels (assembly/grad/conv.ts): at most
 * CONV_COLS, the area cut into equal blocks.
 */
export function convGradCols(area: number): number {
  const blocks = Math.ceil(area / CONV_COLS);
  return Math.ceil(area / blocks);
}
/** Scratch for one edge tile of the GEMM, in bytes. */
export const TILE_BYTES = MR * NR * 4;
/** The control block through which a session hands tasks to its worker threads (i32 words). */
export const CTL_WORDS = 64;
/** Task codes of assembly/task.ts. */
export const TASK_CONV = 1;
export const TASK_DENSE = 2;
export const TASK_DENSE_GRAD_WEIGHT = 3;
export const TASK_CONV_GRAD_INPUT = 4;
export const TASK_CONV_GRAD_WEIGHT = 5;
/**
 * Multiply-adds below which a conv or dense step (or one of their gradients) runs on the
 * calling thread alone: waking the workers and waiting for them costs tens of microseconds,
 * which such a step does not repay.
 */
export const POOL_MIN_MACS = 2 ** 21;
/** Every buffer starts on a 64-byte boundary (cache line; v128 alignment). */
export const ALIGN = 64;
/** About the most raw weight staged at once while packing (a dense weight goes in bands). */
export const STAGE_BYTES = 16 * 2 ** 20;
/** One wasm page. */
export const PAGE = 65536;
/** The most a wasm32 memory can hold: 65536 pages. */
export const MAX_MEMORY = 2 ** 32;

export const roundUp = (x: number, m: number): number => Math.ceil(x / m) * m;

/** Tiles per row of a Winograd conv's output `ow` wide, padded to four (one f32x4 of tiles). */
const winogradRowTiles = (ow: number, tile: number): number => roundUp(Math.ceil(ow / tile), 4);

/** Tile rows per Winograd block for an output `ow` wide. */
export const winogradRows = (ow: number, tile: number): number =>
  Math.max(1, Math.floor(winogradTiles(tile) / winogradRowTiles(ow, tile)));

/** Scratch of one part of a Winograd conv (assembly/winograd.ts): V, M and the small buffers. */
export const winogradScratchBytes = (cin: number, cout: number, ow: number, tile: number) => {
  const tiles = roundUp(winogradRows(ow, tile) * winogradRowTiles(ow, tile), NR);
  // Each V and M matrix is spread (assembly/winograd.ts) by at most 192 bytes.
  return (tile + 2) ** 2 * ((cin + cout) * tiles * 4 + 2 * 192) + WINOGRAD_SMALL_BYTES;
};

/** Bytes of A (m x k) packed by packA. */
export const packedABytes = (m: number, k: number): number => roundUp(m, MR) * k * 4;

/** Bytes of B (k x n) packed by packB. */
export const packedBBytes = (k: number, n: number): number => roundUp(n, NR) * k * 4;

/** Bytes as a person reads them (MiB, GiB). */
export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}
