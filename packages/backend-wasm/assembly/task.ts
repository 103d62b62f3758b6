// The entry point of the worker threads. The session writes a task into the control block at
// `ctl` in shared memory: [generation, done, op, args...] as i32; each thread calls runTask with
// its part. Ops: 1 = conv, 2 = dense (also dense's input gradient), 3 = dense's weight
// gradient, 4 and 5 = conv's input and weight gradients, with the arguments of those functions
// minus part/parts.
import { conv } from './conv';
import { dense } from './dense';
import { convGradInput, convGradWeight } from './grad/conv';
import { denseGradWeight } from './grad/linear';

export const TASK_CONV: i32 = 1;
export const TASK_DENSE: i32 = 2;
export const TASK_DENSE_GRAD_WEIGHT: i32 = 3;
export const TASK_CONV_GRAD_INPUT: i32 = 4;
export const TASK_CONV_GRAD_WEIGHT: i32 = 5;

function arg(ctl: usize, i: i32): i32 {
  return load<i32>(ctl + 12 + ((<usize>i) << 2));
}

export function runTask(ctl: usize, part: i32, parts: i32): void {
  const op = load<i32>(ctl, 8);
  if (op == TASK_CONV) {
    conv(
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
      part,
      parts,
    );
  } else if (op == TASK_DENSE) {
    dense(
      <usize>arg(ctl, 0),
      <usize>arg(ctl, 1),
      <usize>arg(ctl, 2),
      <usize>arg(ctl, 3),
      <usize>arg(ctl, 4),
      arg(ctl, 5),
      arg(ctl, 6),
      arg(ctl, 7),
      arg(ctl, 8),
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
