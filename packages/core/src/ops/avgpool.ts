/**
 * Average pooling. With `count_include_pad=true` (the default, as in PyTorch) the divisor counts
 * the zero padding inside the window; with false, only real input elements. Either way, the part
 * of a `ceil_mode` window that hangs past the padded input is never counted (PyTorch's rule).
 */
import { noMacs, noParams, windowAttrs } from './common.js';
import { poolShape } from './pool.js';
import type { OpDef } from './schema.js';

export const avgpool: OpDef = {
  name: 'avgpool',
  summary: 'average pooling',
  category: 'pool',
  arity: { min: 1, max: 1 },
  positional: ['kernel'],
  attrs: {
    ...windowAttrs(),
    stride: {
      kind: 'pair',
      min: 1,
      default: (a) => a['kernel']!,
      doc: 'step [sh, sw]; default: the kernel',
    },
    ceil_mode: { kind: 'bool', default: false, doc: 'round the output size up instead of down' },
    count_include_pad: {
      kind: 'bool',
      default: true,
      doc: 'divide by the window size including padding',
    },
  },
  inferShape: ([x], attrs) => poolShape('avgpool', x!, attrs),
  params: noParams,
  macs: noMacs,
};
