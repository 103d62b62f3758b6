/**
 * Memory planning. Every tensor of a run (inputs, each node's output, each step's scratch) is a
 * block with a size and a lifetime [first step, last step]; blocks whose lifetimes overlap must
 * not overlap in memory, the others may share it. Blocks are placed largest first, each at the
 * lowest offset that clears every already placed block it coexists with (greedy by size, which
 * is close to optimal on the chain-like graphs of vision nets). A node's output is live during
 * its own step, as are its inputs, so a kernel never writes over what it reads.
 */
import type { Graph } from '@kiln/core';
import { ALIGN, TILE_BYTES, roundUp } from './layout.js';
import type { BoundKernel, Dims } from './kernels/types.js';
import { sizeOf } from './kernels/types.js';

export interface Block {
  readonly bytes: number;
  readonly first: number;
  readonly last: number;
}

/** Offsets (multiples of ALIGN) for the blocks, and the bytes they span together. */
export function placeBlocks(blocks: readonly Block[]): { offsets: number[]; bytes: number } {
  const offsets = new Array<number>(blocks.length).fill(0);
  const order = blocks.map((_, i) => i).sort((a, b) => blocks[b]!.bytes - blocks[a]!.bytes);
  const placed: number[] = [];
  let bytes = 0;
  for (const i of order) {
    const b = blocks[i]!;
    const size = roundUp(b.bytes, ALIGN);
    const clash = placed
      .filter((j) => blocks[j]!.first <= b.last && b.first <= blocks[j]!.last)
      .sort((x, y) => offsets[x]! - offsets[y]!);
    let at = 0;
    for (const j of clash) {
      if (at + size <= offsets[j]!) break;
      at = Math.max(at, offsets[j]! + roundUp(blocks[j]!.bytes, ALIGN));
    }
    offsets[i] = at;
    placed.push(i);
    bytes = Math.max(bytes, at + size);
  }
  return { offsets, bytes };
}

export interface StepLayout {
  readonly node: number;
  readonly inputs: readonly number[];
  readonly out: number;
  readonly scratch: number;
  /** Scratch bytes per thread. */
  readonly stride: number;
}

export interface Layout {
  readonly steps: readonly StepLayout[];
  /** Byte offset of each tensor (graph inputs included). */
  readonly at: ReadonlyMap<string, number>;
  /** First byte past the layout. */
  readonly end: number;
}

/** Lays out one run's tensors and scratch (for `threads` threads) from byte `base` on. */
export function planLayout(
  graph: Graph,
  shapes: ReadonlyMap<string, Dims>,
  bound: ReadonlyMap<string, BoundKernel>,
  base: number,
  threads = 1,
): Layout {
  const lastUse = new Map<string, number>();
  graph.nodes.forEach((n, i) => n.inputs.forEach((name) => lastUse.set(name, i)));
  const outputs = new Set(graph.outputs);
  const end = graph.nodes.length;
  const blocks: Block[] = [];
  const scratchBlock = new Map<number, number>();
  // Block i is node i's output (or the caller's input); scratch blocks follow.
  graph.nodes.forEach((n, i) => {
    const first = n.op === 'input' ? -1 : i;
    const last = outputs.has(n.name) ? end : (lastUse.get(n.name) ?? first);
    blocks.push({ bytes: sizeOf(shapes.get(n.name)!) * 4, first, last });
  });
  graph.nodes.forEach((n, i) => {
    const kernel = bound.get(n.name);
    if (!kernel) return;
    const inShapes = n.inputs.map((name) => shapes.get(name)!);
    const scratch = kernel.scratchBytes?.(inShapes, shapes.get(n.name)!) ?? 0;
    scratchBlock.set(i, blocks.length);
    const stride = roundUp(scratch, ALIGN) + TILE_BYTES;
    const parts = kernel.task ? threads : 1;
    blocks.push({ bytes: stride * parts, first: i, last: i });
  });
  const { offsets, bytes } = placeBlocks(blocks);
  const at = new Map(graph.nodes.map((n, i) => [n.name, base + offsets[i]!]));
  const steps: StepLayout[] = [];
  graph.nodes.forEach((n, i) => {
    const s = scratchBlock.get(i);
    if (s === undefined) return;
    const kernel = bound.get(n.name)!;
    steps.push({
      node: i,
      inputs: n.inputs.map((name) => at.get(name)!),
      out: at.get(n.name)!,
      scratch: base + offsets[s]!,
      stride: blocks[s]!.bytes / (kernel.task ? threads : 1),
    });
  });
  return { steps, at, end: base + bytes };
}
