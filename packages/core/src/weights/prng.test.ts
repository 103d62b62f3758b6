import { describe, expect, it } from 'vitest';
import { Rng, streamKey } from './prng.js';

// Reference values from an independent Python transcription of FNV-1a + splitmix32 +
// xoshiro128** (tooling-free: integers and floats printed with repr).
describe('Rng', () => {
  it('derives the stream key from seed and tensor name', () => {
    expect(streamKey(42, 'conv1.weight')).toBe(1889343346);
  });

  it('gives fixed 32-bit integers for a fixed key', () => {
    const rng = Rng.forTensor(42, 'conv1.weight');
    expect([rng.nextU32(), rng.nextU32(), rng.nextU32(), rng.nextU32()]).toEqual([
      4088462029, 2983987728, 64376315, 1577801450,
    ]);
  });

  it('gives fixed uniforms on [0, 1)', () => {
    const rng = Rng.forTensor(7, 'fc.weight');
    expect([rng.uniform(), rng.uniform(), rng.uniform(), rng.uniform()]).toEqual([
      0.03974604606628418, 0.8423463106155396, 0.21297967433929443, 0.6224242448806763,
    ]);
  });

  it('gives Box-Muller normals in pairs', () => {
    const rng = Rng.forTensor(7, 'fc.weight');
    expect(rng.normal()).toBeCloseTo(0.15613556228427725, 14);
    expect(rng.normal()).toBeCloseTo(-0.23819461476291368, 14);
  });

  it('gives different streams for different names and seeds', () => {
    const a = Rng.forTensor(1, 'a.weight').nextU32();
    expect(Rng.forTensor(1, 'b.weight').nextU32()).not.toBe(a);
    expect(Rng.forTensor(2, 'a.weight').nextU32()).not.toBe(a);
  });

  it('has standard-normal moments', () => {
    const rng = new Rng(123);
    let sum = 0;
    let sq = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      sum += x;
      sq += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.01);
  });
});
