import { describe, expect, it } from 'vitest';
import type { Block } from '../src/plan.js';
import { placeBlocks } from '../src/plan.js';
import { ALIGN } from '../src/layout.js';

/** True when two blocks live at the same time and share bytes. */
function clash(a: Block, at: number, b: Block, bt: number): boolean {
  const live = a.first <= b.last && b.first <= a.last;
  return live && at < bt + b.bytes && bt < at + a.bytes;
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('placeBlocks', () => {
  it('never overlaps blocks that are live together', () => {
    const next = lcg(7);
    for (let trial = 0; trial < 50; trial++) {
      const blocks: Block[] = Array.from({ length: 30 }, () => {
        const first = Math.floor(next() * 20) - 1;
        return {
          bytes: 1 + Math.floor(next() * 5000),
          first,
          last: first + Math.floor(next() * 6),
        };
      });
      const { offsets, bytes } = placeBlocks(blocks);
      blocks.forEach((a, i) => {
        expect(offsets[i]! % ALIGN).toBe(0);
        expect(offsets[i]! + a.bytes).toBeLessThanOrEqual(bytes);
        blocks.forEach((b, j) => {
          if (i !== j) expect(clash(a, offsets[i]!, b, offsets[j]!)).toBe(false);
        });
      });
    }
  });

  it('lets a chain of same-size tensors share two places', () => {
    // x0 -> x1 -> ... -> x9: each tensor lives for its own step and the next.
    const blocks: Block[] = Array.from({ length: 10 }, (_, i) => ({
      bytes: 1024,
      first: i,
      last: i + 1,
    }));
    expect(placeBlocks(blocks).bytes).toBe(2048);
  });

  it('keeps blocks that are live together apart', () => {
    const blocks: Block[] = [
      { bytes: 100, first: 0, last: 3 },
      { bytes: 100, first: 1, last: 2 },
      { bytes: 100, first: 2, last: 5 },
    ];
    expect(placeBlocks(blocks).bytes).toBe(3 * ALIGN * 2);
  });
});
