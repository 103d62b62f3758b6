// Window geometry shared by the pools, as PyTorch defines it: window o along an axis starts at
// o * stride - padBefore and is cut at the end of the padded input (which matters in ceil mode).
// `first`/`last` bound the real elements; `span` is its length inside the padded input.

export function first(o: i32, stride: i32, pad: i32): i32 {
  return max(o * stride - pad, 0);
}

export function last(o: i32, stride: i32, pad: i32, kernel: i32, size: i32): i32 {
  return min(o * stride - pad + kernel, size);
}

export function span(o: i32, stride: i32, pad: i32, kernel: i32, size: i32, padAfter: i32): i32 {
  const from = o * stride - pad;
  return min(from + kernel, size + padAfter) - from;
}
