/**
 * Model inputs for `kiln run`: from `.npy` files, a JSON file, or seeded random values, and the
 * `--shape name=N,C,H,W` bindings that give symbolic (or larger, fully convolutional) sizes.
 */
import type { Graph, Tensor } from '@kiln/core';
import { closest, Rng } from '@kiln/core';
import { why } from './errno.js';
import type { Io } from './io.js';
import { UsageError, UserError } from './io.js';
import { readNpy } from './npy.js';

export const inputNodes = (graph: Graph) => graph.nodes.filter((n) => n.op === 'input');

/** Parses `--shape image=1,3,384,384` flags into sizes by input name. */
export function parseShapes(graph: Graph, flags: readonly string[]): Record<string, number[]> {
  const names = inputNodes(graph).map((n) => n.name);
  const out: Record<string, number[]> = {};
  for (const flag of flags) {
    const m = /^([A-Za-z_][\w.]*)=(\d+(?:,\d+)*)$/.exec(flag);
    if (!m)
      throw new UsageError(
        `--shape expects NAME=D1,D2,... (e.g. image=1,3,384,384), got \`${flag}\``,
      );
    const [, name, dims] = m as unknown as [string, string, string];
    if (!names.includes(name)) {
      const guess = closest(name, names);
      throw new UserError(
        `error: --shape names \`${name}\`, but the inputs are ${names.map((n) => `\`${n}\``).join(', ')}${guess ? ` (did you mean \`${guess}\`?)` : ''}`,
      );
    }
    if (out[name]) {
      throw new UsageError(
        `--shape gives input \`${name}\` twice (${out[name].join(',')} and ${dims})`,
      );
    }
    const sizes = dims.split(',').map(Number);
    if (sizes.some((d) => d < 1 || d > 2 ** 31 - 1))
      throw new UserError(`error: --shape ${name}: sizes must be between 1 and 2^31-1`);
    out[name] = sizes;
  }
  return out;
}

/** Concrete shape of an input: bound by --shape, else its declared shape with batch 1. */
export function concreteShape(
  graph: Graph,
  name: string,
  shapes: Record<string, number[]>,
): number[] {
  const given = shapes[name];
  if (given) return given;
  const node = inputNodes(graph).find((n) => n.name === name)!;
  const declared = node.attrs['shape'] as readonly (number | string)[];
  return declared.map((d, axis) => {
    if (typeof d === 'number') return d;
    if (axis === 0) return 1;
    throw new UserError(
      `error: input \`${name}\` has the symbolic dimension \`${d}\`; give its size with --shape ${name}=...`,
    );
  });
}

export function randomInputs(
  graph: Graph,
  seed: number,
  shapes: Record<string, number[]>,
): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const node of inputNodes(graph)) {
    const shape = concreteShape(graph, node.name, shapes);
    const rng = Rng.forTensor(seed, node.name);
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = rng.uniform() * 2 - 1;
    out[node.name] = { dtype: 'f32', shape, data };
  }
  return out;
}

/**
 * The values as float32, each rounded to the nearest; a number past float32's range (1e39) is
 * refused by its position instead of becoming Infinity, which the file does not hold.
 */
function toFloat32(
  values: readonly number[],
  where: string,
  at: (i: number) => string,
): Float32Array {
  const data = Float32Array.from(values);
  const i = data.findIndex((v) => !Number.isFinite(v));
  if (i >= 0) {
    throw new UserError(
      `error: ${where}${at(i)} is ${values[i]}, past float32's largest magnitude (about 3.4e38)`,
    );
  }
  return data;
}

/** Deeper nesting than any tensor Kiln runs; it also bounds the recursion below. */
const MAX_RANK = 16;

/** Flattens a nested JSON array, checking it is rectangular and numeric. */
function fromNested(value: unknown, where: string): Tensor {
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) {
    shape.push(v.length);
    if (shape.length > MAX_RANK) {
      throw new UserError(
        `error: ${where} is nested more than ${MAX_RANK} arrays deep; no Kiln tensor has that many dimensions`,
      );
    }
  }
  const data: number[] = [];
  const paths: string[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new UserError(`error: ${where}${path} is not a number`);
      data.push(v);
      paths.push(path);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new UserError(
        `error: ${where}${path} is not a rectangular array: expected ${shape[depth]} entries`,
      );
    }
    v.forEach((item, i) => walk(item, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, '');
  return { dtype: 'f32', shape, data: toFloat32(data, where, (i) => paths[i]!) };
}

function fromJsonValue(value: unknown, where: string): Tensor {
  if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    'shape' in value &&
    'data' in value
  ) {
    const { shape, data } = value as { shape: unknown; data: unknown };
    const okShape = Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0);
    const okData = Array.isArray(data) && data.every((d) => typeof d === 'number');
    if (!okShape || !okData)
      throw new UserError(`error: ${where} needs "shape" (integers) and "data" (numbers)`);
    const t = {
      dtype: 'f32' as const,
      shape: shape as number[],
      data: toFloat32(data as number[], where, (i) => `.data[${i}]`),
    };
    const want = t.shape.reduce((a, b) => a * b, 1);
    if (want !== t.data.length)
      throw new UserError(
        `error: ${where}: shape [${t.shape.join(', ')}] needs ${want} values, "data" has ${t.data.length}`,
      );
    return t;
  }
  return fromNested(value, where);
}

function readFile(io: Io, path: string): Uint8Array {
  try {
    return io.readFile(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const reason = code === 'EISDIR' ? 'it is a directory, not a .npy or .json file' : why(e);
    throw new UserError(`error: cannot read input \`${path}\`: ${reason}`);
  }
}

function loadOne(io: Io, path: string): Tensor | Record<string, Tensor> {
  const bytes = readFile(io, path);
  if (path.endsWith('.npy')) return readNpy(path, bytes);
  if (!path.endsWith('.json'))
    throw new UserError(`error: ${path}: inputs must be .npy or .json files`);
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new UserError(`error: ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (Array.isArray(doc) || (doc && typeof doc === 'object' && 'shape' in doc))
    return fromJsonValue(doc, path);
  if (!doc || typeof doc !== 'object')
    throw new UserError(`error: ${path} must hold an array or an object of inputs`);
  return Object.fromEntries(
    Object.entries(doc).map(([k, v]) => [k, fromJsonValue(v, `${path}: "${k}"`)]),
  );
}

/** `--input x.npy` (single-input models), `--input name=x.npy`, or a JSON file naming inputs. */
export function fileInputs(io: Io, graph: Graph, flags: readonly string[]): Record<string, Tensor> {
  const names = inputNodes(graph).map((n) => n.name);
  const out: Record<string, Tensor> = {};
  const add = (name: string, t: Tensor) => {
    if (out[name]) throw new UsageError(`--input gives input \`${name}\` twice`);
    out[name] = t;
  };
  for (const flag of flags) {
    const eq = /^([A-Za-z_][\w.]*)=(.+)$/.exec(flag);
    const [name, path] = eq ? [eq[1]!, eq[2]!] : [undefined, flag];
    const loaded = loadOne(io, path);
    if ('data' in loaded && loaded.data instanceof Float32Array) {
      const target = name ?? (names.length === 1 ? names[0]! : undefined);
      if (!target)
        throw new UserError(
          `error: the model has inputs ${names.join(', ')}: use --input NAME=${path}`,
        );
      add(target, loaded as Tensor);
    } else {
      for (const [k, t] of Object.entries(loaded as Record<string, Tensor>)) add(k, t);
    }
  }
  return out;
}
