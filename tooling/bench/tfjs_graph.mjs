// Builds the same network as a Kiln graph out of tfjs ops, so tfjs-backend-cpu can be timed on
// exactly the computation Kiln runs. tfjs convolves and pools in NHWC: every rank-4 tensor is
// kept NHWC, weights are transposed once at build time (conv OIHW -> HWIO, dense [units, K] ->
// [K, units], tfjs's own dense layout), and a flatten or reshape goes back to NCHW first so the
// flatten order (C, then H, then W) matches Kiln's.
import { nchwToNhwc } from './data.mjs';

/** A conv weight from OIHW (Kiln, ONNX) to HWIO (tfjs). */
export function convFilter(data, [o, i, kh, kw]) {
  const out = new Float32Array(data.length);
  for (let a = 0; a < o; a++)
    for (let b = 0; b < i; b++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++)
          out[((y * kw + x) * i + b) * o + a] = data[((a * i + b) * kh + y) * kw + x];
  return out;
}

/** [rows, cols] to [cols, rows]. */
function transpose2d(data, rows, cols) {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/** Kiln pads [top, left, bottom, right] as tfjs wants them: a number when all equal. */
function tfPad([t, l, b, r]) {
  return t === l && t === b && t === r
    ? t
    : [
        [0, 0],
        [t, b],
        [l, r],
        [0, 0],
      ];
}

/** An NCHW axis of a rank-4 tensor in NHWC. */
const nhwcAxis = (axis, rank) => (rank === 4 ? [0, 3, 1, 2][axis < 0 ? axis + 4 : axis] : axis);

function unsupported(node, why) {
  return new Error(`tfjs peer: node \`${node.name}\` (${node.op}): ${why}`);
}

/** One node as a function of its input tensors; weights converted here, once. */
function lower(tf, node, rank, inputRanks, weight, hold) {
  const a = node.attrs;
  const toNchw = (x, r) => (r === 4 ? tf.transpose(x, [0, 3, 1, 2]) : x);
  switch (node.op) {
    case 'conv': {
      if (a.groups !== 1) throw unsupported(node, 'grouped convolution');
      const w = weight('weight');
      const filter = hold(
        tf.tensor4d(convFilter(w.data, w.shape), [...a.kernel, w.shape[1], w.shape[0]]),
      );
      const bias = a.bias ? hold(tf.tensor1d(weight('bias').data)) : undefined;
      const pad = tfPad(a.pad);
      return ([x]) => {
        const y = tf.conv2d(x, filter, a.stride, pad, 'NHWC', a.dilation);
        return bias ? tf.add(y, bias) : y;
      };
    }
    case 'dense': {
      const w = weight('weight');
      const wt = hold(
        tf.tensor2d(transpose2d(w.data, w.shape[0], w.shape[1]), [w.shape[1], w.shape[0]]),
      );
      const bias = a.bias ? hold(tf.tensor1d(weight('bias').data)) : undefined;
      return ([x]) => (bias ? tf.add(tf.matMul(x, wt), bias) : tf.matMul(x, wt));
    }
    case 'batchnorm': {
      const [mean, variance, beta, gamma] = ['running_mean', 'running_var', 'bias', 'weight'].map(
        (p) => hold(tf.tensor1d(weight(p).data)),
      );
      return ([x]) => tf.batchNorm(x, mean, variance, beta, gamma, a.eps);
    }
    case 'maxpool':
      if (a.ceil_mode) throw unsupported(node, 'ceil_mode');
      return ([x]) => tf.maxPool(x, a.kernel, a.stride, tfPad(a.pad));
    case 'avgpool':
      // tfjs leaves padding out of the divisor; Kiln's default counts it.
      if (a.ceil_mode || (a.count_include_pad && a.pad.some((p) => p > 0)))
        throw unsupported(node, 'padding counted in the average, or ceil_mode');
      return ([x]) => tf.avgPool(x, a.kernel, a.stride, tfPad(a.pad));
    case 'global_avgpool':
      return ([x]) => tf.mean(x, [1, 2], true);
    case 'relu':
      return ([x]) => tf.relu(x);
    case 'sigmoid':
      return ([x]) => tf.sigmoid(x);
    case 'tanh':
      return ([x]) => tf.tanh(x);
    case 'leaky_relu':
      return ([x]) => tf.leakyRelu(x, a.alpha);
    case 'dropout':
      return ([x]) => x;
    case 'softmax': {
      const axis = nhwcAxis(a.axis, rank);
      if (axis !== rank - 1 && axis !== -1)
        throw unsupported(node, 'tfjs softmax is last-axis only');
      return ([x]) => tf.softmax(x);
    }
    case 'flatten':
      return ([x]) => tf.reshape(toNchw(x, inputRanks[0]), [x.shape[0], -1]);
    case 'reshape':
      return ([x]) => {
        const y = tf.reshape(toNchw(x, inputRanks[0]), [x.shape[0], ...a.shape]);
        return rank === 4 ? tf.transpose(y, [0, 2, 3, 1]) : y;
      };
    case 'add':
      return (xs) => tf.addN(xs);
    case 'concat':
      return (xs) => tf.concat(xs, nhwcAxis(a.axis, rank));
    default:
      throw unsupported(node, 'no tfjs lowering');
  }
}

/**
 * The graph as tfjs ops. `feeds(inputs)` converts Kiln input tensors to tfjs tensors (NHWC),
 * outside any timed region; `forward(feeds)` runs the network inside tf.tidy and returns the
 * first output in tfjs layout; `toKilnLayout` reads it back as NCHW data.
 */
export function tfjsModel(tf, graph, shapes, weights) {
  const rankOf = (name) => shapes.get(name).length;
  const held = [];
  const hold = (t) => (held.push(t), t);
  const steps = graph.nodes
    .filter((n) => n.op !== 'input')
    .map((node) => {
      const weight = (p) => weights.get(`${node.name}.${p}`);
      const ranks = node.inputs.map(rankOf);
      return { node, fn: lower(tf, node, rankOf(node.name), ranks, weight, hold) };
    });
  const output = graph.outputs[0];
  return {
    feeds(inputs) {
      const out = {};
      for (const [name, t] of Object.entries(inputs)) {
        const [n, c, h, w] = t.shape;
        out[name] =
          t.shape.length === 4
            ? tf.tensor4d(nchwToNhwc(t.data, t.shape), [n, h, w, c])
            : tf.tensor(t.data, t.shape);
      }
      return out;
    },
    forward(feeds) {
      return tf.tidy(() => {
        const values = new Map(Object.entries(feeds));
        for (const { node, fn } of steps) {
          values.set(node.name, fn(node.inputs.map((i) => values.get(i))));
        }
        return values.get(output);
      });
    },
    toKilnLayout(y) {
      const data = y.rank === 4 ? tf.transpose(y, [0, 3, 1, 2]) : y;
      const out = data.dataSync();
      if (data !== y) data.dispose();
      return out;
    },
    /** Frees the converted weights. */
    dispose() {
      for (const t of held) t.dispose();
    },
  };
}
