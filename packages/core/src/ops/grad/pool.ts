/**
 * Backward ops of the pools; inputs are (dy, x). Max pooling routes each upstream value to the
 * first maximum of its window (PyTorch's tie rule); average pooling spreads it evenly over the
 * window with the forward divisor; global average pooling spreads dy / (H·W) over the map.
 */
import { avgpool } from '../avgpool.js';
import { maxpool } from '../maxpool.js';
import type { OpDef } from '../schema.js';
import { backwardOp, like } from './define.js';

export const maxpoolGrad: OpDef = backwardOp(
  'maxpool_grad',
  'dL/dx of maxpool',
  2,
  maxpool.attrs,
  like(1),
);

export const avgpoolGrad: OpDef = backwardOp(
  'avgpool_grad',
  'dL/dx of avgpool',
  2,
  avgpool.attrs,
  like(1),
);

export const globalAvgpoolGrad: OpDef = backwardOp(
  'global_avgpool_grad',
  'dL/dx of global_avgpool',
  2,
  {},
  like(1),
);
