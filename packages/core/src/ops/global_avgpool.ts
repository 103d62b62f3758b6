/** Global average pooling: [N, C, H, W] -> [N, C, 1, 1] (PyTorch's AdaptiveAvgPool2d(1)). */
import { expectRank, noMacs, noParams } from './common.js';
import type { OpDef } from './schema.js';

export const globalAvgpool: OpDef = {
  name: 'global_avgpool',
  summary: 'average over the whole feature map',
  category: 'pool',
  arity: { min: 1, max: 1 },
  positional: [],
  attrs: {},
  inferShape([x]) {
    expectRank('global_avgpool', x!, 4);
    return [x![0]!, x![1]!, 1, 1];
  },
  params: noParams,
  macs: noMacs,
  // The window geometry is recomputed from the forward attributes (ops/grad/pool.ts).
  grad: (node, dy, e) => [e.emit('global_avgpool_grad', [dy, node.inputs[0]!], node.attrs, 'dx')],
};
