/**
 * 2-D convolution, NCHW, weight [channels, C/groups, kh, kw] (PyTorch's and ONNX's layout).
 * Padding may differ per side; dilation spreads the kernel taps; groups split the channels.
 */
import { windowOutput } from '../ir/dims.js';
import { expectRank, knownChannels, linearParams, sampleElements, windowAttrs } from './common.js';
import { linearGrad } from './dense.js';
import type { OpDef } from './schema.js';
import { ShapeError, bool, int, ints } from './schema.js';

export const conv: OpDef = {
  name: 'conv',
  summary: '2-D convolution',
  category: 'linear',
  arity: { min: 1, max: 1 },
  positional: ['channels'],
  attrs: {
    channels: { kind: 'int', min: 1, doc: 'output channels' },
    ...windowAttrs(),
    stride: { kind: 'pair', min: 1, default: [1, 1], doc: 'step between windows [sh, sw]' },
    dilation: { kind: 'pair', min: 1, default: [1, 1], doc: 'spacing of kernel taps [dh, dw]' },
    groups: { kind: 'int', min: 1, default: 1, doc: 'channel groups (C and channels divisible)' },
    bias: { kind: 'bool', default: true, doc: 'add a learned bias per output channel' },
  },
  inferShape([x], attrs) {
    expectRank(
      'conv',
      x!,
      4,
      x!.length === 2 ? 'a vector has no spatial extent; use `dense`' : undefined,
    );
    const [n, c, h, w] = x!;
    const channels = int(attrs, 'channels');
    const groups = int(attrs, 'groups');
    const cin = knownChannels('conv', c!, 'input channel count');
    if (cin % groups !== 0 || channels % groups !== 0) {
      throw new ShapeError(
        `conv groups=${groups} must divide both input channels (${cin}) and output channels (${channels})`,
      );
    }
    const [kh, kw] = ints(attrs, 'kernel') as [number, number];
    const [sh, sw] = ints(attrs, 'stride') as [number, number];
    const [pt, pl, pb, pr] = ints(attrs, 'pad') as [number, number, number, number];
    const [dh, dw] = ints(attrs, 'dilation') as [number, number];
    const oh = windowOutput(h!, kh, sh, pt, pb, dh, false);
    const ow = windowOutput(w!, kw, sw, pl, pr, dw, false);
    if ((typeof oh === 'number' && oh < 1) || (typeof ow === 'number' && ow < 1)) {
      throw new ShapeError(
        `conv kernel ${kh}x${kw} (dilation ${dh}x${dw}) does not fit the padded ${h}x${w} input`,
        'lower the kernel or dilation, or add padding',
      );
    }
    return [n!, channels, oh, ow];
  },
  params([x], attrs) {
    const cin = knownChannels('conv', x![1]!, 'input channel count');
    const channels = int(attrs, 'channels');
    const groups = int(attrs, 'groups');
    const [kh, kw] = ints(attrs, 'kernel') as [number, number];
    const perGroup = cin / groups;
    return linearParams(
      [channels, perGroup, kh, kw],
      perGroup * kh * kw,
      (channels / groups) * kh * kw,
      bool(attrs, 'bias'),
    );
  },
  macs([x], out, attrs) {
    const elements = sampleElements(out);
    if (elements === undefined) return undefined;
    const [kh, kw] = ints(attrs, 'kernel') as [number, number];
    const perGroup = (x![1] as number) / int(attrs, 'groups');
    return elements * perGroup * kh * kw;
  },
  grad: linearGrad('conv'),
};
