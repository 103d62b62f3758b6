/**
 * Kernels of the backward and training-mode ops (core's ops/grad/), grouped as core groups
 * their definitions; with them a training graph runs on this backend like any other graph.
 */
import type { WasmKernel } from '../types.js';
import * as activation from './activation.js';
import * as conv from './conv.js';
import * as linear from './linear.js';
import * as loss from './loss.js';
import * as pool from './pool.js';
import * as shape from './shape.js';
import * as training from './training.js';

export const gradKernels: readonly WasmKernel[] = [
  activation,
  conv,
  linear,
  loss,
  pool,
  shape,
  training,
].flatMap((m) => Object.values(m) as WasmKernel[]);
