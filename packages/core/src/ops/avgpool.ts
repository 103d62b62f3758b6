/**
 * Average pooling. With `count_include_pad=true` (the default, as in PyTorch) the divisor counts
 * the zero padding inside the window; with false, only real input elements. Either way, the part
 * of a `ceil_mode` window that hangs past the padded input is never counted (PyTorch's rule).
 */
import { noMacs, noParams } from './common.js';
import { poolAttrs, poolShape } from './pool.js';
import type { OpDef } from './schema.js';

export const avgpool: OpDef = {
  name: 'avgpool',
  summary: 'average pooling',
  category: 'pool',
  arity: { min: 1, max: 1 },
  positional: ['kernel'],
  attrs: {
    ...poolAttrs(),
    count_include_pad: {
      kind: 'bool',
      default: true,
      doc: 'divide by the window size including padding',
    },
  },
  inferShape: ([x], attrs) => poolShape('avgpool', x!, attrs),
  params: noParams,
  macs: noMacs,
  // The window geometry is recomputed from the forward attributes (ops/grad/pool.ts).
  grad: (node, dy, e) => [e.emit('avgpool_grad', [dy, node.inputs[0]!], node.attrs, 'dx')],
};
