/** Max pooling. Padding counts as -infinity (never the maximum). The stride defaults to the kernel. */
import { noMacs, noParams, windowAttrs } from './common.js';
import { poolShape } from './pool.js';
import type { OpDef } from './schema.js';

export const maxpool: OpDef = {
  name: 'maxpool',
  summary: 'max pooling',
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
  },
  inferShape: ([x], attrs) => poolShape('maxpool', x!, attrs),
  params: noParams,
  macs: noMacs,
};
