/**
 * A compute program: one WGSL shader, its bindings and its parameter layout, built once per cache
 * key. The key is the whole truth about the shader text: two programs with one key have the same
 * code, so the pipeline cache (pipelines.ts) compiles each key once per device. Sizes are never
 * part of a key: shapes, strides and attributes reach the shader as uniform parameters, so one
 * pipeline serves every batch size and every layer of one kind (SwiftShader spends 0.4-3.5 s
 * compiling a new shader).
 */
import { ShaderBuilder } from './builder.js';
import type { DeviceShape } from './builder.js';

/** How the shader reads a binding. Every program ends with one uniform: its parameters. */
export type BindingKind = 'read' | 'read_write' | 'uniform';

export type ScalarType = 'u32' | 'i32' | 'f32';

export interface ParamField {
  readonly name: string;
  readonly type: ScalarType;
}

/** A tensor the program binds, with the parameters its shape fills. */
export interface TensorBinding {
  readonly name: string;
  readonly rank: number;
}

export interface Program {
  /** What the shader text depends on, and nothing else. */
  readonly key: string;
  readonly code: string;
  /** Storage bindings in binding order (the uniform comes after them). */
  readonly bindings: readonly BindingKind[];
  /** Tensors by binding, in binding order; their shapes fill `<name>_d<i>` and `<name>_s<i>`. */
  readonly tensors: readonly TensorBinding[];
  /** The uniform's fields, one 32-bit word each, in order. */
  readonly fields: readonly ParamField[];
}

const programs = new Map<string, Program>();

/**
 * The program of `key`, built by `build` the first time the key is seen. `device` is the
 * workgroup limits the shader was sized for; its numbers join the key, so a program built for
 * one device is never handed to a device with other limits.
 */
export function program(
  key: string,
  device: DeviceShape,
  build: (s: ShaderBuilder) => void,
): Program {
  const full = `${key}@wg${device.invocations}`;
  let p = programs.get(full);
  if (!p) {
    const s = new ShaderBuilder(device);
    build(s);
    p = s.finish(full);
    programs.set(full, p);
  }
  return p;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/**
 * The uniform words of one dispatch: each tensor's dims, strides and element count from
 * `shapes` (by tensor name), then every scalar from `scalars`. A missing value is a bug in the
 * kernel that built the dispatch, so it throws.
 */
export function encodeParams(
  p: Program,
  shapes: Readonly<Record<string, readonly number[]>>,
  scalars: Readonly<Record<string, number>>,
): Uint32Array {
  const values = new Map<string, number>();
  for (const t of p.tensors) {
    const shape = shapes[t.name];
    if (!shape) throw new Error(`program ${p.key}: no shape for tensor ${t.name}`);
    if (shape.length !== t.rank) {
      throw new Error(`program ${p.key}: ${t.name} has rank ${shape.length}, expected ${t.rank}`);
    }
    const strides = stridesOf(shape);
    shape.forEach((d, i) => values.set(`${t.name}_d${i}`, d));
    strides.forEach((s, i) => values.set(`${t.name}_s${i}`, s));
    values.set(
      `${t.name}_n`,
      shape.reduce((a, b) => a * b, 1),
    );
  }
  for (const [name, v] of Object.entries(scalars)) values.set(name, v);
  const words = new Uint32Array(Math.max(4, Math.ceil(p.fields.length / 4) * 4));
  const f32 = new Float32Array(words.buffer);
  const i32 = new Int32Array(words.buffer);
  p.fields.forEach((field, i) => {
    const v = values.get(field.name);
    if (v === undefined) throw new Error(`program ${p.key}: no value for parameter ${field.name}`);
    if (field.type === 'f32') f32[i] = v;
    else if (field.type === 'i32') i32[i] = v;
    else {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
        throw new Error(`program ${p.key}: parameter ${field.name} = ${v} is not a u32`);
      }
      words[i] = v;
    }
  });
  return words;
}
