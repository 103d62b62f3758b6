/**
 * Workgroup counts. A 1-D workload of more workgroups than one grid dimension holds is laid
 * over two (x, then y); the builder's `flatId` and `groupId` undo that, and the shader's bounds
 * check drops the few invocations past the end.
 */
import type { GpuLimits } from '../device.js';
import { tooManyWorkgroups } from '../errors.js';

export function grid(count: number, limits: GpuLimits, node: string): [number, number, number] {
  const max = limits.maxComputeWorkgroupsPerDimension;
  if (count <= max) return [Math.max(1, count), 1, 1];
  const y = Math.ceil(count / max);
  if (y > max) throw tooManyWorkgroups(node, count, max);
  return [Math.ceil(count / y), y, 1];
}

/** Workgroups for one invocation per element. */
export function perElement(n: number, limits: GpuLimits, node: string): [number, number, number] {
  return grid(Math.ceil(n / limits.invocations), limits, node);
}

/** A 3-D grid (tiled GEMMs: column tiles, row tiles, batch), each dimension within the limit. */
export function grid3(
  x: number,
  y: number,
  z: number,
  limits: GpuLimits,
  node: string,
): [number, number, number] {
  const max = limits.maxComputeWorkgroupsPerDimension;
  const worst = Math.max(x, y, z);
  if (worst > max) throw tooManyWorkgroups(node, worst, max);
  return [x, y, z];
}
