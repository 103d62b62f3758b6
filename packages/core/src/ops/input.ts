/** A model input: a named tensor of a declared type. Dimensions may be symbolic (`N`, `H`). */
import { noMacs, noParams } from './common.js';
import type { OpDef } from './schema.js';
import { dims } from './schema.js';

export const input: OpDef = {
  name: 'input',
  summary: 'model input of a declared shape',
  category: 'input',
  arity: { min: 0, max: 0 },
  positional: ['shape'],
  attrs: {
    shape: { kind: 'shape', doc: 'dimensions; integers or symbols' },
    dtype: { kind: 'enum', values: ['f32'], default: 'f32', doc: 'element type' },
  },
  inferShape: (_inputs, attrs) => dims(attrs, 'shape'),
  params: noParams,
  macs: noMacs,
};
