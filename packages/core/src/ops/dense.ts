/** Fully connected layer: y = x·Wᵀ + b with W [units, K] (PyTorch's nn.Linear, ONNX Gemm transB=1). */
import { formatShape, isKnown } from '../ir/dims.js';
import { knownChannels, linearParams } from './common.js';
import type { GradFn } from '../autodiff/types.js';
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
  grad: linearGrad('dense'),
};

/**
 * y = x·Wᵀ + b: dL/dW = dyᵀ·x, dL/db = Σ_n dy, dL/dx = dy·W. Conv follows the same pattern with
 * its own backward ops (which carry the conv attributes), so both share this function.
 */
export function linearGrad(op: 'dense' | 'conv'): GradFn {
  return (node, dy, e) => {
    const x = node.inputs[0]!;
    const geometry = op === 'conv' ? node.attrs : {};
    if (e.wantsParam(node, 'weight')) {
      e.paramGrad(node, 'weight', e.emit(`${op}_grad_weight`, [dy, x], geometry, 'dweight'));
    }
    if (bool(node.attrs, 'bias') && e.wantsParam(node, 'bias')) {
      e.paramGrad(node, 'bias', e.emit('bias_grad', [dy], {}, 'dbias'));
    }
    if (!e.wantsInput(node, 0)) return [undefined];
    return [e.emit(`${op}_grad_input`, [dy, x], { ...geometry, of: node.name }, 'dx')];
  };
}
