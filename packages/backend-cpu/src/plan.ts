/**
 * An execution plan for one set of concrete shapes. Each node's output gets a slot; a slot is
 * released once the last node reading it has run, and later outputs reuse released slots
 * (best fit by capacity). Graph outputs are never released. Inputs are read in place from the
 * caller's tensors (kernels never write their inputs). The session owns every slot's memory.
 */
import type { Graph } from '@kiln/core';

export interface Step {
  readonly node: number;
  /** Slot of each input, or -1 - i for the caller's input tensor named `graph.nodes[i]`. */
  readonly inputs: readonly number[];
  readonly out: number;
}

export interface Plan {
  readonly steps: readonly Step[];
  /** Slot holding each tensor computed by a step, or the input reference. */
  readonly where: ReadonlyMap<string, number>;
  readonly slotSizes: readonly number[];
}

export function makePlan(graph: Graph, sizes: ReadonlyMap<string, number>): Plan {
  const lastUse = new Map<string, number>();
  graph.nodes.forEach((node, i) => node.inputs.forEach((name) => lastUse.set(name, i)));
  const outputs = new Set(graph.outputs);
  const where = new Map<string, number>();
  const slotSizes: number[] = [];
  const free: number[] = [];
  const steps: Step[] = [];
  graph.nodes.forEach((node, i) => {
    if (node.op === 'input') {
      where.set(node.name, -1 - i);
      return;
    }
    const size = sizes.get(node.name)!;
    // Best fit among released slots; grow the smallest adequate one or open a new slot.
    let pick = -1;
    for (const s of free) {
      if (slotSizes[s]! >= size && (pick < 0 || slotSizes[s]! < slotSizes[pick]!)) pick = s;
    }
    if (pick < 0 && free.length) {
      pick = free.reduce((a, b) => (slotSizes[a]! >= slotSizes[b]! ? a : b));
      slotSizes[pick] = size;
    }
    if (pick < 0) {
      pick = slotSizes.length;
      slotSizes.push(size);
    } else free.splice(free.indexOf(pick), 1);
    steps.push({ node: i, inputs: node.inputs.map((n) => where.get(n)!), out: pick });
    where.set(node.name, pick);
    // Release inputs read for the last time (after allocating the output: never alias them).
    for (const name of new Set(node.inputs)) {
      const slot = where.get(name)!;
      if (slot >= 0 && lastUse.get(name) === i && !outputs.has(name)) free.push(slot);
    }
    if (!lastUse.has(node.name) && !outputs.has(node.name)) free.push(pick);
  });
  return { steps, where, slotSizes };
}
