/**
 * Workgroup-wide sums for the kernels that reduce (per-channel statistics, losses, global
 * pooling): each invocation adds a strided share of the values, then the shares meet in a tree
 * in workgroup memory. Against a sequential float32 sum this keeps the rounding error near
 * log2(workgroup) + n / workgroup additions instead of n.
 */
import type { ShaderBuilder } from './builder.js';

/**
 * Statements that sum `partial` (one f32 per invocation) over the workgroup and declare
 * `let <out>` with the total in every invocation. Must run in uniform control flow.
 */
export function workgroupSum(s: ShaderBuilder, out: string, partial: string): string {
  const n = s.device.invocations;
  s.define(`var<workgroup> wg_sum: array<f32, ${n}>;`);
  return `
  wg_sum[lix] = ${partial};
  workgroupBarrier();
  for (var w = ${n >> 1}u; w > 0u; w = w >> 1u) {
    if (lix < w) { wg_sum[lix] = wg_sum[lix] + wg_sum[lix + w]; }
    workgroupBarrier();
  }
  let ${out} = wg_sum[0];
  workgroupBarrier();`;
}

/** The same for a maximum. */
export function workgroupMax(s: ShaderBuilder, out: string, partial: string): string {
  const n = s.device.invocations;
  s.define(`var<workgroup> wg_max: array<f32, ${n}>;`);
  return `
  wg_max[lix] = ${partial};
  workgroupBarrier();
  for (var w = ${n >> 1}u; w > 0u; w = w >> 1u) {
    if (lix < w) { wg_max[lix] = max(wg_max[lix], wg_max[lix + w]); }
    workgroupBarrier();
  }
  let ${out} = wg_max[0];
  workgroupBarrier();`;
}

/** A loop header over this invocation's share of `count` items: `for (var <i> = ...)`. */
export function strided(s: ShaderBuilder, i: string, count: string): string {
  return `for (var ${i} = lix; ${i} < ${count}; ${i} += ${s.device.invocations}u)`;
}

/**
 * Compensated (Kahan) accumulation into `sum`, with its running error in `carry`: a long sum
 * of float32 values (a 2048x2048 map, a 70,000-way softmax) then stays within a few ulps of the
 * float64 result instead of drifting by 1e-4. Declare both as `var` f32 zeros first.
 */
export function kahanAdd(sum: string, carry: string, value: string): string {
  return `{ let k_y = (${value}) - ${carry}; let k_t = ${sum} + k_y; ${carry} = (k_t - ${sum}) - k_y; ${sum} = k_t; }`;
}
