/** Fully connected layer: y = x·Wᵀ + b with W [units, K] (PyTorch's nn.Linear, ONNX Gemm transB=1). */
import { formatShape, isKnown } from '../ir/dims.js';
import { knownChannels, linearParams } from './common.js';
import type { OpDef } from './schema.js';
import { ShapeError, bool, int } from './schema.js';

export const dense: OpDef = {
  name: 'dense',
  summary: 'fully connected layer',
  category: 'linear',
  arity: { min: 1, max: 1 },
  positional: ['units'],
  attrs: {
    units: { kind: 'int', min: 1, doc: 'output features' },
    bias: { kind: 'bool', default: true, doc: 'add a learned bias per output' },
  },
  inferShape([x], attrs) {
    if (x!.length !== 2) {
      throw new ShapeError(
        `dense needs a 2-D input [N, K]; got ${formatShape(x!)}`,
        x!.length > 2 ? 'add `flatten` before it' : undefined,
      );
    }
    knownChannels('dense', x![1]!, 'input feature count');
    return [x![0]!, int(attrs, 'units')];
  },
  params([x], attrs) {
    const k = knownChannels('dense', x![1]!, 'input feature count');
    const units = int(attrs, 'units');
    return linearParams([units, k], k, units, bool(attrs, 'bias'));
  },
  macs([x], _out, attrs) {
    const k = x![1]!;
    return isKnown(k) ? k * int(attrs, 'units') : undefined;
  },
};
