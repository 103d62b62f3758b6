/**
 * Sliding-window index arithmetic of conv, shared by the forward product and its gradients.
 * The geometry (kernel, stride, padding, dilation, groups) reaches the shader as parameters.
 *
 * The column matrix of one image and channel group has a row per tap d = (c, i, j), c a channel
 * of the group, (i, j) a kernel offset, and a column per output position p = (oy, ox); its entry
 * is input pixel (oy·sh − pt + i·dh, ox·sw − pl + j·dw) of channel c, zero in the padding.
 * Conv reads it on the fly (`im2colTap`) instead of building it. The input gradient reads the
 * adjoint (`col2imTap`): input pixel (y, x) gathers, for each kernel offset, the output
 * position that tap came from, when there is one.
 */
import { int, ints } from '@kiln/core';
import type { Attrs } from '@kiln/core';
import type { ShaderBuilder, TensorVar } from './builder.js';

export interface ConvGeometry {
  readonly kh: string;
  readonly kw: string;
  readonly sh: string;
  readonly sw: string;
  readonly pt: string;
  readonly pl: string;
  readonly dh: string;
  readonly dw: string;
  readonly groups: string;
}

/** The geometry's parameter accessors. */
export function convGeometry(s: ShaderBuilder): ConvGeometry {
  const u = (name: string) => s.param(`conv_${name}`, 'u32');
  return {
    kh: u('kh'),
    kw: u('kw'),
    sh: u('sh'),
    sw: u('sw'),
    pt: u('pt'),
    pl: u('pl'),
    dh: u('dh'),
    dw: u('dw'),
    groups: u('groups'),
  };
}

/** The geometry's parameter values, from a conv node's (or conv gradient's) attributes. */
export function convScalars(attrs: Attrs): Record<string, number> {
  const [kh, kw] = ints(attrs, 'kernel');
  const [sh, sw] = ints(attrs, 'stride');
  const [pt, pl] = ints(attrs, 'pad');
  const [dh, dw] = ints(attrs, 'dilation');
  return {
    conv_kh: kh!,
    conv_kw: kw!,
    conv_sh: sh!,
    conv_sw: sw!,
    conv_pt: pt!,
    conv_pl: pl!,
    conv_dh: dh!,
    conv_dw: dw!,
    conv_groups: int(attrs, 'groups'),
  };
}

/**
 * Statements setting `v` to column-matrix entry (tap `d`, position `p`) of image `img`,
 * channels from `c0`, of x [N, C, H, W] (leaving it 0 in the padding); `ow` is the output width.
 */
export function im2colTap(
  g: ConvGeometry,
  x: TensorVar,
  ow: string,
  img: string,
  c0: string,
  d: string,
  p: string,
): string {
  return `
  let taps = ${g.kh} * ${g.kw};
  let tc = ${d} / taps;
  let tr = ${d} % taps;
  let oy = ${p} / ${ow};
  let ox = ${p} % ${ow};
  let iy = i32(oy * ${g.sh} + (tr / ${g.kw}) * ${g.dh}) - i32(${g.pt});
  let ix = i32(ox * ${g.sw} + (tr % ${g.kw}) * ${g.dw}) - i32(${g.pl});
  if (iy >= 0 && ix >= 0 && iy < i32(${x.dim(2)}) && ix < i32(${x.dim(3)})) {
    v = ${x.at(img, `${c0} + tc`, 'u32(iy)', 'u32(ix)')};
  }`;
}

/**
 * Statements setting `v` to the entry of dy [N, Cout, OH, OW] that reaches input pixel `q`
 * (flat over H x W of width `w`) through tap `t` = (o, i, j), o an output channel of the group
 * from `o0`; leaving it 0 when no output position uses that pixel through that tap (stride
 * gaps, borders).
 */
export function col2imTap(
  g: ConvGeometry,
  dy: TensorVar,
  w: string,
  img: string,
  o0: string,
  t: string,
  q: string,
): string {
  return `
  let taps = ${g.kh} * ${g.kw};
  let to = ${t} / taps;
  let tr = ${t} % taps;
  let ty = i32(${q} / ${w} + ${g.pt}) - i32((tr / ${g.kw}) * ${g.dh});
  let tx = i32(${q} % ${w} + ${g.pl}) - i32((tr % ${g.kw}) * ${g.dw});
  let aligned = ty >= 0 && tx >= 0 && u32(ty) % ${g.sh} == 0u && u32(tx) % ${g.sw} == 0u;
  let oy = u32(ty) / ${g.sh};
  let ox = u32(tx) / ${g.sw};
  if (aligned && oy < ${dy.dim(2)} && ox < ${dy.dim(3)}) {
    v = ${dy.at(img, `${o0} + to`, 'oy', 'ox')};
  }`;
}

/** Pool geometry parameters (kernel, stride, padding on all four sides). */
export function poolScalars(attrs: Attrs): Record<string, number> {
  const [kh, kw] = ints(attrs, 'kernel');
  const [sh, sw] = ints(attrs, 'stride');
  const [pt, pl, pb, pr] = ints(attrs, 'pad');
  return {
    pool_kh: kh!,
    pool_kw: kw!,
    pool_sh: sh!,
    pool_sw: sw!,
    pool_pt: pt!,
    pool_pl: pl!,
    pool_pb: pb!,
    pool_pr: pr!,
  };
}

/**
 * Statements declaring the pool window of output index `o` along one axis of input length
 * `size`, as PyTorch cuts it: it starts at o·stride − padBefore and ends at the padded input's
 * end at the latest (which matters in ceil mode); `<p>_start`/`<p>_end` bound its real input
 * elements (i32), `<p>_padded` is its length within the padded input (avgpool's
 * count_include_pad divisor).
 */
export function poolWindow(s: ShaderBuilder, axis: 'h' | 'w', o: string, size: string): string {
  const u = (name: string) => s.param(`pool_${name}`, 'u32');
  const [k, st, before, after] =
    axis === 'h' ? [u('kh'), u('sh'), u('pt'), u('pb')] : [u('kw'), u('sw'), u('pl'), u('pr')];
  const p = `win_${axis}`;
  return `
  let ${p}_from = i32(${o} * ${st}) - i32(${before});
  let ${p}_to = min(${p}_from + i32(${k}), i32(${size} + ${after}));
  let ${p}_start = max(${p}_from, 0);
  let ${p}_end = min(${p}_to, i32(${size}));
  let ${p}_padded = ${p}_to - ${p}_from;`;
}

/**
 * Statements looping over the output windows that may cover input pixel (`iy`, `ix`) of plane
 * (`n`, `c`): `oy`, `ox` in scope in `body`, with the window's geometry (`win_*`) declared.
 */
export function coveringWindows(
  s: ShaderBuilder,
  dy: TensorVar,
  x: TensorVar,
  body: string,
): string {
  const u = (name: string) => s.param(`pool_${name}`, 'u32');
  // Window o starts at o·stride − pad and spans `kernel`: o ≥ (i + pad − kernel + 1) / stride.
  const first = (i: string, k: string, st: string, pad: string) =>
    `u32(max(i32(${i} + ${pad}) - i32(${k}) + i32(${st}), 0)) / ${st}`;
  return `
  let oy_lo = ${first('iy', u('kh'), u('sh'), u('pt'))};
  let oy_hi = min((iy + ${u('pt')}) / ${u('sh')} + 1u, ${dy.dim(2)});
  let ox_lo = ${first('ix', u('kw'), u('sw'), u('pl'))};
  let ox_hi = min((ix + ${u('pl')}) / ${u('sw')} + 1u, ${dy.dim(3)});
  for (var oy = oy_lo; oy < oy_hi; oy++) {
    ${poolWindow(s, 'h', 'oy', x.dim(2))}
    for (var ox = ox_lo; ox < ox_hi; ox++) {
      ${poolWindow(s, 'w', 'ox', x.dim(3))}
      if (i32(iy) >= win_h_start && i32(iy) < win_h_end && i32(ix) >= win_w_start && i32(ix) < win_w_end) {
        ${body}
      }
    }
  }`;
}
