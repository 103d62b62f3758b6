/** Every backward and training-mode op, for the registry. */
import type { OpDef } from '../schema.js';
import * as activation from './activation.js';
import * as linear from './linear.js';
import * as loss from './loss.js';
import * as pool from './pool.js';
import * as shape from './shape.js';
import * as training from './training.js';

export const gradOps: readonly OpDef[] = [linear, pool, activation, shape, training, loss].flatMap(
  (m) => Object.values(m),
);
