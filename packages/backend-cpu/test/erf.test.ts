import { describe, expect, it } from 'vitest';
import { erf, erfc } from '../src/kernels/erf.js';

// Reference values from Python's math.erf / math.erfc (C libm, double precision).
describe('erf', () => {
  it('matches libm across the series and continued-fraction ranges', () => {
    const cases: [number, number][] = [
      [0, 0],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [-2.5, -0.999593047982555],
      [2.999, 0.9999777698314002],
      [3.5, 0.9999992569016276],
    ];
    for (const [x, want] of cases) expect(erf(x)).toBeCloseTo(want, 13); // far beyond float32 needs
  });

  it('keeps relative accuracy in the far tail', () => {
    expect(erfc(5) / 1.5374597944280351e-12).toBeCloseTo(1, 12);
    expect(erfc(10) / 2.088487583762545e-45).toBeCloseTo(1, 12);
    expect(erfc(-4)).toBeCloseTo(1.999999984582742, 15);
    expect(Number.isNaN(erf(NaN))).toBe(true);
  });
});
