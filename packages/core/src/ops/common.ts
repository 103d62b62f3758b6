/** Checks and formulas shared by several op definitions. */
import { formatShape, isKnown } from '../ir/dims.js';
import type { Dim, Shape } from '../ir/types.js';
import type { AttrSpec, OpDef, ParamSpec } from './schema.js';
import { ShapeError } from './schema.js';

export function expectRank(op: string, shape: Shape, rank: number, hint?: string): void {
  if (shape.length !== rank) {
    const what = rank === 4 ? '4-D input [N, C, H, W]' : `${rank}-D input`;
    throw new ShapeError(`${op} expects a ${what}, got ${formatShape(shape)}`, hint);
  }
}

export function knownChannels(op: string, d: Dim, what = 'channel count'): number {
  if (!isKnown(d)) {
    throw new ShapeError(`${op} needs a known ${what}, got the symbolic dimension \`${d}\``);
  }
  return d;
}

/** Weight and optional bias of a linear layer (dense or conv). */
export function linearParams(
  weightShape: number[],
  fanIn: number,
  fanOut: number,
  bias: boolean,
): ParamSpec[] {
  const out: ParamSpec[] = [
    { name: 'weight', shape: weightShape, learnable: true, init: 'fan', fanIn, fanOut },
  ];
  if (bias) {
    out.push({
      name: 'bias',
      shape: [weightShape[0]!],
      learnable: true,
      init: 'zeros',
      fanIn,
      fanOut,
    });
  }
  return out;
}

/** Numbers of one sample's elements; undefined when symbolic. */
export function sampleElements(shape: Shape): number | undefined {
  let n = 1;
  for (const d of shape.slice(1)) {
    if (!isKnown(d)) return undefined;
    n *= d;
  }
  return n;
}

export const noParams = (): ParamSpec[] => [];
export const noMacs = (): number => 0;

/** The attributes every sliding-window op (conv, pools) shares. */
export function windowAttrs(kernelDefault?: number): Record<string, AttrSpec> {
  return {
    kernel: {
      kind: 'pair',
      min: 1,
      doc: 'window size [kh, kw]',
      ...(kernelDefault !== undefined ? { default: [kernelDefault, kernelDefault] } : {}),
    },
    stride: { kind: 'pair', min: 1, doc: 'step between windows [sh, sw]' },
    pad: {
      kind: 'pads',
      min: 0,
      default: [0, 0, 0, 0],
      doc: 'zero padding [top, left, bottom, right]',
    },
  };
}

/** An elementwise op of one input: same shape out, no parameters, no MACs. */
export function unaryOp(
  name: string,
  summary: string,
  attrs: Record<string, AttrSpec> = {},
  positional: string[] = [],
  category: OpDef['category'] = 'activation',
): OpDef {
  return {
    name,
    summary,
    category,
    arity: { min: 1, max: 1 },
    positional,
    attrs,
    inferShape: (inputs) => inputs[0]!,
    params: noParams,
    macs: noMacs,
  };
}
