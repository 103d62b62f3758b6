/**
 * The functions the kernel module (assembly/, built to dist/kiln.wasm) exports. Pointers are
 * byte offsets into the session's memory; lengths count f32 elements.
 */
type Ptr = number;

export interface KilnExports {
  heapBase(): Ptr;
  packA(src: Ptr, rs: number, cs: number, m: number, k: number, dst: Ptr): void;
  packB(
    src: Ptr,
    rs: number,
    cs: number,
    k: number,
    n: number,
    dst: Ptr,
    from: number,
    to: number,
  ): void;
  gemm(pa: Ptr, pb: Ptr, c: Ptr, ldc: number, m: number, n: number, k: number, tmp: Ptr): void;
  /**
   * Part `part` of `parts` of the task in the control block at `ctl` (assembly/task.ts): conv,
   * dense and their gradients, whose arguments are listed in their kernel files, run only this
   * way.
   */
  runTask(ctl: Ptr, part: number, parts: number): void;
  add(a: Ptr, b: Ptr, out: Ptr, len: number): void;
  relu(x: Ptr, out: Ptr, len: number): void;
  leakyRelu(x: Ptr, out: Ptr, len: number, alpha: number): void;
  sigmoid(x: Ptr, out: Ptr, len: number): void;
  tanh(x: Ptr, out: Ptr, len: number): void;
  gelu(x: Ptr, out: Ptr, len: number, approximate: number): void;
  softmax(x: Ptr, out: Ptr, outer: number, len: number, inner: number): void;
  batchnorm(x: Ptr, out: Ptr, affine: Ptr, n: number, c: number, inner: number): void;
  maxpool(
    x: Ptr,
    out: Ptr,
    planes: number,
    h: number,
    w: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
  ): void;
  avgpool(
    x: Ptr,
    out: Ptr,
    planes: number,
    h: number,
    w: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
    pb: number,
    pr: number,
    includePad: number,
  ): void;
  globalAvgpool(x: Ptr, out: Ptr, planes: number, area: number): void;
  copy(src: Ptr, dst: Ptr, len: number): void;
  /** Index of the first NaN among `len` floats at `x`, or -1. */
  firstNonFinite(x: Ptr, len: number): number;
  copyChunks(src: Ptr, dst: Ptr, outer: number, chunk: number, stride: number): void;
  // Backward and training-mode kernels (assembly/grad/); `t` is the forward tensor the
  // derivative is written in (core's ops/grad), shapes are passed as the kernels view them.
  reluGrad(dy: Ptr, x: Ptr, out: Ptr, len: number): void;
  leakyReluGrad(dy: Ptr, x: Ptr, out: Ptr, len: number, alpha: number): void;
  geluGrad(dy: Ptr, x: Ptr, out: Ptr, len: number, approximate: number): void;
  sigmoidGrad(dy: Ptr, y: Ptr, out: Ptr, len: number): void;
  tanhGrad(dy: Ptr, y: Ptr, out: Ptr, len: number): void;
  softmaxGrad(dy: Ptr, y: Ptr, out: Ptr, outer: number, len: number, inner: number): void;
  biasGrad(dy: Ptr, out: Ptr, n: number, c: number, inner: number): void;
  softmaxCrossEntropy(z: Ptr, t: Ptr, out: Ptr, n: number, k: number): void;
  softmaxCrossEntropyGrad(z: Ptr, t: Ptr, out: Ptr, n: number, k: number): void;
  sigmoidBce(z: Ptr, t: Ptr, out: Ptr, count: number): void;
  sigmoidBceGrad(z: Ptr, t: Ptr, out: Ptr, count: number): void;
  mseLoss(y: Ptr, t: Ptr, out: Ptr, count: number): void;
  mseLossGrad(y: Ptr, t: Ptr, out: Ptr, count: number): void;
  maxpoolGrad(
    dy: Ptr,
    x: Ptr,
    out: Ptr,
    planes: number,
    h: number,
    w: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
  ): void;
  avgpoolGrad(
    dy: Ptr,
    out: Ptr,
    planes: number,
    h: number,
    w: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
    pb: number,
    pr: number,
    includePad: number,
  ): void;
  globalAvgpoolGrad(dy: Ptr, out: Ptr, planes: number, area: number): void;
  concatSlice(
    dy: Ptr,
    out: Ptr,
    outer: number,
    chunk: number,
    stride: number,
    offset: number,
  ): void;
  dropoutMask(x: Ptr, mask: Ptr, out: Ptr, len: number, scale: number): void;
  batchnormTrain(
    x: Ptr,
    gamma: Ptr,
    beta: Ptr,
    out: Ptr,
    n: number,
    c: number,
    inner: number,
    eps: number,
  ): void;
  batchnormStats(
    x: Ptr,
    running: Ptr,
    out: Ptr,
    n: number,
    c: number,
    inner: number,
    momentum: number,
  ): void;
  batchnormGradWeight(
    dy: Ptr,
    x: Ptr,
    out: Ptr,
    n: number,
    c: number,
    inner: number,
    eps: number,
  ): void;
  batchnormGradInput(
    dy: Ptr,
    x: Ptr,
    gamma: Ptr,
    out: Ptr,
    n: number,
    c: number,
    inner: number,
    eps: number,
  ): void;
}
