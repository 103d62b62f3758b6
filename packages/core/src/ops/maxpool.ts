/** Max pooling. Padding counts as -infinity (never the maximum). The stride defaults to the kernel. */
import { noMacs, noParams } from './common.js';
import { poolAttrs, poolShape } from './pool.js';
import type { OpDef } from './schema.js';

export const maxpool: OpDef = {
  name: 'maxpool',
  summary: 'max pooling',
  category: 'pool',
  arity: { min: 1, max: 1 },
  positional: ['kernel'],
  attrs: poolAttrs(),
  inferShape: ([x], attrs) => poolShape('maxpool', x!, attrs),
  params: noParams,
  macs: noMacs,
  // The window geometry is recomputed from the forward attributes (ops/grad/pool.ts).
  grad: (node, dy, e) => [e.emit('maxpool_grad', [dy, node.inputs[0]!], node.attrs, 'dx')],
};
