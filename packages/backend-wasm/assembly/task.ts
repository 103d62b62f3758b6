// The entry point of the worker threads. The session writes a task into the control block at
// `ctl` in shared memory: [generation, done, op, args...] as i32; each thread calls runTask with
// its part. Ops: 1 = conv, 2 = dense (also dense's input gradient), with the arguments of
// convBlocks / winograd and denseBlocks minus counter, part and parts, then a counter word
// through which the parts claim blocks (schedule.ts), which the session writes as 0; 3 = dense's
// weight gradient, 4 and 5 = conv's input and weight gradients, with the arguments of those
// functions minus part/parts.
import { convBlocks } from './conv';
import { denseBlocks } from './dense';
import { convGradInput, convGradWeight } from './grad/conv';
import { denseGradWeight } from './grad/linear';
import { winograd } from './winograd';

export const TASK_CONV: i32 = 1;
export const TASK_DENSE: i32 = 2;
export const TASK_DENSE_GRAD_WEIGHT: i32 = 3;
export const TASK_CONV_GRAD_INPUT: i32 = 4;
export const TASK_CONV_GRAD_WEIGHT: i32 = 5;
/**
 * conv's argument 22: how it computes (0: im2col and GEMM, 1: Winograd F(2x2, 3x3), 2: Winograd
 * F(4x4, 3x3)).
 */
const CONV_WINOGRAD: i32 = 1;
const CONV_WINOGRAD4: i32 = 2;

function arg(ctl: usize, i: i32): i32 {
  return load<i32>(ctl + 12 + ((<usize>i) << 2));
}

function argAt(ctl: usize, i: i32): usize {
  return ctl + 12 + ((<usize>i) << 2);
}

export function runTask(ctl: usize, part: i32, parts: i32): void {
  const op = load<i32>(ctl, 8);
  const method = arg(ctl, 22);
  if (op == TASK_CONV && (method == CONV_WINOGRAD || method == CONV_WINOGRAD4)) {
    // Arguments as for im2col; the weight is the transformed one, argument 23 the tile rows.
    winograd(
      <usize>arg(ctl, 0),
      <usize>arg(ctl, 1),
      <usize>arg(ctl, 2),
      <usize>arg(ctl, 3),
      <usize>arg(ctl, 4),
      arg(ctl, 5),
      arg(ctl, 6),
      arg(ctl, 7),
      arg(ctl, 8),
      arg(ctl, 9),
      arg(ctl, 10),
      arg(ctl, 16),
      arg(ctl, 17),
      arg(ctl, 20),
      arg(ctl, 21),
      arg(ctl, 23),
      method == CONV_WINOGRAD4 ? 4 : 2,
      argAt(ctl, 24),
      part,
      parts,
    );
  } else if (op == TASK_CONV) {
    convBlocks(
      <usize>arg(ctl, 0),
      <usize>arg(ctl, 1),
      <usize>arg(ctl, 2),
      <usize>arg(ctl, 3),
      <usize>arg(ctl, 4),
      arg(ctl, 5),
      arg(ctl, 6),
      arg(ctl, 7),
      arg(ctl, 8),
      arg(ctl, 9),
      arg(ctl, 10),
      arg(ctl, 11),
      arg(ctl, 12),
      arg(ctl, 13),
      arg(ctl, 14),
      arg(ctl, 15),
      arg(ctl, 16),
      arg(ctl, 17),
      arg(ctl, 18),
      arg(ctl, 19),
      arg(ctl, 20),
      arg(ctl, 21),
      argAt(ctl, 24),
      part,
      parts,
    );
  } else if (op == TASK_DENSE) {
    denseBlocks(
      <usize>arg(ctl, 0),
      <usize>arg(ctl, 1),
      <usize>arg(ctl, 2),
      <usize>arg(ctl, 3),
      <usize>arg(ctl, 4),
      arg(ctl, 5),
      arg(ctl, 6),
      arg(ctl, 7),
      arg(ctl, 8),
      argAt(ctl, 9),
      part,
      parts,
    );
  } else if (op == TASK_DENSE_GRAD_WEIGHT) {
    denseGradWeight(
      <usize>arg(ctl, 0),
      <usize>arg(ctl, 1),
      <usize>arg(ctl, 2),
      <usize>arg(ctl, 3),
      arg(ctl, 4),
      arg(ctl, 5),
      arg(ctl, 6),
      arg(ctl, 7),
      part,
      parts,
    );
  } else if (op == TASK_CONV_GRAD_INPUT) {
    convGradInput(
      <usize>arg(ctl, 0),
      <usize>arg(ctl, 1),
      <usize>arg(ctl, 2),
      <usize>arg(ctl, 3),
      arg(ctl, 4),
      arg(ctl, 5),
      arg(ctl, 6),
      arg(ctl, 7),
      arg(ctl, 8),
      arg(ctl, 9),
      arg(ctl, 10),
      arg(ctl, 11),
      arg(ctl, 12),
      arg(ctl, 13),
      arg(ctl, 14),
      arg(ctl, 15),
      arg(ctl, 16),
      arg(ctl, 17),
      arg(ctl, 18),
      arg(ctl, 19),
      arg(ctl, 20),
      part,
      parts,
    );
  } else if (op == TASK_CONV_GRAD_WEIGHT) {
    convGradWeight(
      <usize>arg(ctl, 0),
      <usize>arg(ctl, 1),
      <usize>arg(ctl, 2),
      <usize>arg(ctl, 3),
      arg(ctl, 4),
      arg(ctl, 5),
      arg(ctl, 6),
      arg(ctl, 7),
      arg(ctl, 8),
      arg(ctl, 9),
      arg(ctl, 10),
      arg(ctl, 11),
      arg(ctl, 12),
      arg(ctl, 13),
      arg(ctl, 14),
      arg(ctl, 15),
      arg(ctl, 16),
      arg(ctl, 17),
      arg(ctl, 18),
      arg(ctl, 19),
      arg(ctl, 20),
      part,
      parts,
    );
  }
}
