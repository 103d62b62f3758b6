/**
 * GELU. Opset 20 has a Gelu op with PyTorch's two modes. Below 20 it is written out:
 *   exact: x * 0.5 * (1 + Erf(x / sqrt 2))          (Phi(x) = (1 + erf(x / sqrt 2)) / 2)
 *   tanh:  x * 0.5 * (1 + Tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
 * Erf exists since opset 9, so every opset Kiln writes can express both forms.
 */
import { str } from '@kiln/core';
import { stringAttr } from '../attrs.js';
import { scalarTensor } from '../tensor.js';
import type { LowerOp, Lowering } from './types.js';

const GELU_OPSET = 20;

function scalar(ctx: Lowering, base: string, value: number): string {
  return ctx.constant(base, (name) => scalarTensor(name, value));
}

export const gelu: LowerOp = (node, ctx) => {
  const approximate = str(node.attrs, 'approximate');
  const x = node.inputs[0]!;
  if (ctx.opset >= GELU_OPSET) {
    ctx.emit('Gelu', [x], node.name, [stringAttr('approximate', approximate)]);
    return;
  }
  const at = (what: string) => ctx.fresh(`${node.name}/${what}`);
  const step = (opType: string, inputs: string[], what: string) => {
    const out = at(what);
    ctx.emit(opType, inputs, out);
    return out;
  };
  let inner: string;
  if (approximate === 'tanh') {
    const cube = step('Mul', [step('Mul', [x, x], 'square'), x], 'cube');
    const cubic = step('Mul', [cube, scalar(ctx, `${node.name}/c`, 0.044715)], 'cubic');
    const sum = step('Add', [x, cubic], 'poly');
    const scaled = step('Mul', [sum, scalar(ctx, `${node.name}/k`, Math.sqrt(2 / Math.PI))], 'arg');
    inner = step('Tanh', [scaled], 'tanh');
  } else {
    const scaled = step('Mul', [x, scalar(ctx, `${node.name}/rsqrt2`, Math.SQRT1_2)], 'arg');
    inner = step('Erf', [scaled], 'erf');
  }
  const onePlus = step('Add', [inner, scalar(ctx, `${node.name}/one`, 1)], 'one_plus');
  const half = step('Mul', [onePlus, scalar(ctx, `${node.name}/half`, 0.5)], 'half');
  ctx.emit('Mul', [x, half], node.name);
};
