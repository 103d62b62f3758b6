/**
 * Buffer planning for one set of concrete shapes. Every stored tensor (a graph input, a step's
 * output) and every step's scratch is a block with a size and a lifetime [first step, last
 * step]: from the step that writes it (inputs: before the first) to the last step that reads it
 * (graph outputs: past the end, so they survive until read back). Blocks whose lifetimes overlap
 * need different buffers; the others may share one. Blocks are assigned in order of their first
 * step to a free slot, best fit by size (a slot is one GPU buffer, grown to its largest block).
 * A step's output is live during the step, as are its inputs and scratch, so a kernel never
 * writes over what it reads.
 */
import type { Graph } from '@kiln/core';
import type { GpuLimits } from './device.js';
import { tooLarge } from './errors.js';
import type { Schedule } from './schedule.js';
import type { Dims, StepWork } from './kernels/types.js';
import { sizeOf } from './kernels/types.js';

export interface Block {
  readonly bytes: number;
  readonly first: number;
  readonly last: number;
}

/** The slot of each block and each slot's size in bytes. */
export function assignSlots(blocks: readonly Block[]): { slots: number[]; sizes: number[] } {
  const order = blocks
    .map((_, i) => i)
    .sort((a, b) => blocks[a]!.first - blocks[b]!.first || blocks[b]!.bytes - blocks[a]!.bytes);
  const slots = new Array<number>(blocks.length).fill(-1);
  const sizes: number[] = [];
  /** The step after which each slot is free again. */
  const busyUntil: number[] = [];
  for (const i of order) {
    const b = blocks[i]!;
    let pick = -1;
    for (let s = 0; s < sizes.length; s++) {
      if (busyUntil[s]! >= b.first) continue;
      // Best fit: the smallest slot that holds the block, else the largest (it grows least).
      const fits = sizes[s]! >= b.bytes;
      if (pick < 0) pick = s;
      else if (fits && (sizes[pick]! < b.bytes || sizes[s]! < sizes[pick]!)) pick = s;
      else if (!fits && sizes[pick]! < b.bytes && sizes[s]! > sizes[pick]!) pick = s;
    }
    if (pick < 0) {
      pick = sizes.length;
      sizes.push(0);
      busyUntil.push(0);
    }
    sizes[pick] = Math.max(sizes[pick]!, b.bytes);
    busyUntil[pick] = b.last;
    slots[i] = pick;
  }
  return { slots, sizes };
}

export interface RunLayout {
  /** Slot of each stored tensor (a root of the schedule). */
  readonly slotOf: ReadonlyMap<string, number>;
  /** Slots of each step's scratch buffers. */
  readonly scratch: readonly (readonly number[])[];
  readonly sizes: readonly number[];
}

export function planRun(
  graph: Graph,
  sched: Schedule,
  shapes: ReadonlyMap<string, Dims>,
  works: readonly StepWork[],
): RunLayout {
  const end = sched.steps.length;
  const names: string[] = [];
  const blocks: Block[] = [];
  const index = new Map<string, number>();
  const open = (name: string, first: number) => {
    index.set(name, blocks.length);
    names.push(name);
    blocks.push({ bytes: sizeOf(shapes.get(name)!) * 4, first, last: first });
  };
  const touch = (name: string, step: number) => {
    const i = index.get(sched.root.get(name)!)!;
    blocks[i] = { ...blocks[i]!, last: Math.max(blocks[i]!.last, step) };
  };
  for (const node of graph.nodes) if (node.op === 'input') open(node.name, -1);
  const scratchBlocks: number[][] = [];
  sched.steps.forEach((step, s) => {
    const node = graph.nodes[step.node]!;
    for (const name of node.inputs) touch(name, s);
    open(step.output, s);
    scratchBlocks.push(
      (works[s]!.scratch ?? []).map((bytes) => {
        blocks.push({ bytes, first: s, last: s });
        return blocks.length - 1;
      }),
    );
  });
  for (const name of graph.outputs) touch(name, end);
  const { slots, sizes } = assignSlots(blocks);
  return {
    slotOf: new Map(names.map((name) => [name, slots[index.get(name)!]!])),
    scratch: scratchBlocks.map((list) => list.map((b) => slots[b]!)),
    sizes,
  };
}

/** Refuses a stored tensor or a scratch buffer larger than one binding (or buffer) may be. */
export function checkSizes(
  graph: Graph,
  sched: Schedule,
  limits: GpuLimits,
  shapes: ReadonlyMap<string, Dims>,
  works: readonly StepWork[],
): void {
  const check = (what: string, shape: Dims, bytes: number, node: string) => {
    const span = graph.nodes.find((n) => n.name === node)?.span;
    for (const [limit, value] of [
      ['maxStorageBufferBindingSize', limits.maxStorageBufferBindingSize],
      ['maxBufferSize', limits.maxBufferSize],
    ] as const) {
      if (bytes > value) throw tooLarge(what, shape, bytes, limit, value, span);
    }
  };
  for (const [name, shape] of shapes) {
    if (sched.fused.has(name)) continue;
    check(`tensor \`${name}\``, shape, sizeOf(shape) * 4, name);
  }
  works.forEach((w, s) => {
    const node = graph.nodes[sched.steps[s]!.node]!.name;
    for (const bytes of w.scratch ?? []) check(`scratch of \`${node}\``, [bytes / 4], bytes, node);
  });
}
