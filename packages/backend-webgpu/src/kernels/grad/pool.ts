/**
 * Backward kernels of the pools, inputs (dy, x), as gathers: each input pixel sums what reaches
 * it from the output windows that cover it (no float atomics needed). Max pooling first records
 * each window's first maximum (PyTorch's tie rule) in a scratch buffer, then a pixel takes dy of
 * the windows whose maximum it is; average pooling gives each pixel dy over the window's
 * divisor, as the forward pass divided.
 *
 * Cache keys: the op (avgpool's divisor rule is a parameter).
 */
import { bool } from '@kiln/core';
import type { GpuLimits } from '../../device.js';
import type { ShaderBuilder, TensorVar } from '../../wgsl/builder.js';
import { program } from '../../wgsl/program.js';
import { coveringWindows, poolScalars } from '../../wgsl/window.js';
import { perElement } from '../grid.js';
import { poolWindowLoop } from '../pool.js';
import { pointwise } from '../pointwise.js';
import type { Dims, Dispatch, GpuKernel } from '../types.js';
import { input, output, scratch, sizeOf } from '../types.js';

/** The gather dispatch: each input pixel sums `body` over the windows covering it. */
function gather(
  key: string,
  dyShape: Dims,
  xShape: Dims,
  limits: GpuLimits,
  node: string,
  body: (s: ShaderBuilder, dy: TensorVar, x: TensorVar) => string,
  argmax: boolean,
): Dispatch {
  const p = program(`pool_grad:${key}`, limits, (s) => {
    const dy = s.tensor('dy', 4);
    const x = s.tensor('x', 4);
    if (argmax) s.buffer('argmax', 'read', 'u32');
    const dx = s.tensor('dx', 4, 'read_write');
    s.main(`
  let i = ${s.flatId};
  if (i >= ${dx.count}) { return; }
  ${dx.unravel('i', ['n', 'c', 'iy', 'ix'])}
  var sum = 0.0;
  ${coveringWindows(s, dy, x, body(s, dy, x))}
  ${dx.set('i', 'sum')}`);
  });
  return {
    program: p,
    operands: argmax ? [input(0), input(1), scratch(0), output] : [input(0), input(1), output],
    shapes: { dy: dyShape, x: xShape, dx: xShape },
    workgroups: perElement(sizeOf(xShape), limits, node),
  };
}

export const maxpoolGrad: GpuKernel = {
  op: 'maxpool_grad',
  bind: (node) => ({
    plan({ inShapes, limits }) {
      const [dyShape, xShape] = inShapes as [Dims, Dims];
      // Pass 1: the flat index within x of each window's first maximum.
      const argmax = program('maxpool_argmax', limits, (s) => {
        const x = s.tensor('x', 4);
        const y = s.tensor('y', 4);
        const out = s.buffer('argmax', 'read_write', 'u32');
        s.main(`
  let i = ${s.flatId};
  if (i >= ${y.count}) { return; }
  var best = 0u;
  var top = 0.0;
  var seen = false;
  ${poolWindowLoop(s, x, y, `if (!seen || v > top) { top = v; best = ${x.offset('n', 'c', 'u32(wy)', 'u32(wx)')}; seen = true; }`)}
  ${out}[i] = best;`);
      });
      const scalars = poolScalars(node.attrs);
      const first: Dispatch = {
        program: argmax,
        // The y binding only gives the output geometry; dy has that shape.
        operands: [input(1), input(0), scratch(0)],
        shapes: { x: xShape, y: dyShape },
        scalars,
        workgroups: perElement(sizeOf(dyShape), limits, node.name),
      };
      const second = gather(
        'max',
        dyShape,
        xShape,
        limits,
        node.name,
        (_s, dy, x) =>
          `if (argmax[${dy.offset('n', 'c', 'oy', 'ox')}] == ${x.offset('n', 'c', 'iy', 'ix')}) { sum += ${dy.at('n', 'c', 'oy', 'ox')}; }`,
        true,
      );
      return { dispatches: [first, { ...second, scalars }], scratch: [sizeOf(dyShape) * 4] };
    },
  }),
};

export const avgpoolGrad: GpuKernel = {
  op: 'avgpool_grad',
  bind: (node) => ({
    plan({ inShapes, limits }) {
      const [dyShape, xShape] = inShapes as [Dims, Dims];
      const d = gather(
        'avg',
        dyShape,
        xShape,
        limits,
        node.name,
        (s, dy) => {
          const all = 'f32(win_h_padded * win_w_padded)';
          const real = 'f32((win_h_end - win_h_start) * (win_w_end - win_w_start))';
          const count = `select(${real}, ${all}, ${s.param('include_pad', 'u32')} != 0u)`;
          return `sum += ${dy.at('n', 'c', 'oy', 'ox')} / ${count};`;
        },
        false,
      );
      const includePad = bool(node.attrs, 'count_include_pad') ? 1 : 0;
      return {
        dispatches: [{ ...d, scalars: { ...poolScalars(node.attrs), include_pad: includePad } }],
      };
    },
  }),
};

/** dy / (H·W) spread over each map. */
export const globalAvgpoolGrad: GpuKernel = {
  op: 'global_avgpool_grad',
  bind: (node) => ({
    plan({ inShapes, limits }) {
      const [n, c, h, w] = inShapes[1] as [number, number, number, number];
      const spec = {
        key: 'global_avgpool_grad',
        arity: 1,
        expr: (s: ShaderBuilder, [dy]: readonly TensorVar[], i: string) => {
          const area = s.param('area', 'u32');
          return `${dy!.get(`${i} / ${area}`)} / f32(${area})`;
        },
      };
      const d = pointwise(spec, [input(0)], [n * c], n * c * h * w, limits, node.name, {
        area: h * w,
      });
      return { dispatches: [d] };
    },
  }),
};
