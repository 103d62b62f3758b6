/**
 * A seeded random generator that yields the same numbers on every machine and engine.
 *
 * Integers come from xoshiro128** (Blackman and Vigna), a 128-bit-state generator built only
 * from 32-bit xor, shift, rotate and `Math.imul`, which JavaScript defines exactly. The state is
 * filled by splitmix32 from a 32-bit key, and the key of a tensor is an FNV-1a hash of its name
 * mixed with the seed, so each tensor has its own stream: adding a layer leaves the others alone.
 *
 * Uniforms take the top 24 bits (exactly representable in float32). Normals use Box-Muller,
 * which calls `Math.log`, `Math.sqrt`, `Math.cos` and `Math.sin`; `sqrt` is exact by IEEE 754 and
 * V8 computes the others with its fdlibm port on every platform, so Node gives identical values
 * everywhere (another engine could differ in the last bit of a float64, which rounding to
 * float32 almost always hides).
 */

/** FNV-1a over the UTF-16 code units of `text`, continued from `hash`. */
function fnv1a(text: string, hash = 0x811c9dc5): number {
  let h = hash >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The key of one tensor's stream: the seed's 32 bits, then the tensor name. */
export function streamKey(seed: number, name: string): number {
  const s = seed >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < 4; i++) {
    h ^= (s >>> (8 * i)) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return fnv1a(name, h);
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** A second Box-Muller normal, kept for the next call. */
  private spare: number | undefined;

  constructor(key: number) {
    // splitmix32 spreads one 32-bit key over the 128-bit state (never all zero).
    let z = key >>> 0;
    const next = () => {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z;
      t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
      t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
      return (t ^ (t >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** For a tensor `name` under `seed`. */
  static forTensor(seed: number, name: string): Rng {
    return new Rng(streamKey(seed, name));
  }

  /** The next 32-bit unsigned integer (xoshiro128**). */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform on [0, 1), a multiple of 2^-24. */
  uniform(): number {
    return (this.nextU32() >>> 8) / 16777216;
  }

  /** Standard normal by Box-Muller; u1 is taken from (0, 1] so the logarithm is finite. */
  normal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
}
