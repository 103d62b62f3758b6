import { describe, expect, it } from 'vitest';
import type { Block } from '../src/plan.js';
import { assignSlots } from '../src/plan.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('assignSlots', () => {
  it('never gives blocks that are live together one slot, and sizes each slot', () => {
    const next = lcg(3);
    for (let trial = 0; trial < 50; trial++) {
      const blocks: Block[] = Array.from({ length: 30 }, () => {
        const first = Math.floor(next() * 20) - 1;
        return {
          bytes: 4 + Math.floor(next() * 5000),
          first,
          last: first + Math.floor(next() * 6),
        };
      });
      const { slots, sizes } = assignSlots(blocks);
      blocks.forEach((a, i) => {
        expect(sizes[slots[i]!]!).toBeGreaterThanOrEqual(a.bytes);
        blocks.forEach((b, j) => {
          const live = a.first <= b.last && b.first <= a.last;
          if (i !== j && live) expect(slots[i]).not.toBe(slots[j]);
        });
      });
    }
  });

  it('lets a chain of tensors share two buffers', () => {
    // x0 -> x1 -> ... -> x9: each tensor lives for its own step and the next.
    const blocks: Block[] = Array.from({ length: 10 }, (_, i) => ({
      bytes: 1024,
      first: i - 1,
      last: i,
    }));
    const { sizes } = assignSlots(blocks);
    expect(sizes).toEqual([1024, 1024]);
  });

  it('reuses the buffer that fits best', () => {
    const blocks: Block[] = [
      { bytes: 100, first: 0, last: 1 },
      { bytes: 1000, first: 0, last: 1 },
      { bytes: 90, first: 2, last: 3 },
      { bytes: 900, first: 2, last: 3 },
    ];
    const { slots, sizes } = assignSlots(blocks);
    expect(sizes).toEqual([1000, 100]);
    expect(slots).toEqual([1, 0, 1, 0]);
  });
});
