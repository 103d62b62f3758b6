/**
 * The typed WGSL helper. Kernels describe their bindings, parameters and body through it and
 * never write index arithmetic themselves: a `TensorVar` turns index tuples into flat offsets
 * (with strides it declares as parameters), flat offsets back into coordinates, and the builder
 * owns the workgroup geometry (flat ids over a 2-D grid, so more than 65535 workgroups fit) and
 * the parameter uniform (one 32-bit word per field, read through typed accessors).
 */
import type { BindingKind, ParamField, Program, ScalarType, TensorBinding } from './program.js';

/** The workgroup limits a shader is sized for (from the device's limits). */
export interface DeviceShape {
  /** Invocations of a 1-D workgroup: a power of two within every workgroup limit. */
  readonly invocations: number;
  /** Bytes of workgroup memory a shader may declare. */
  readonly workgroupBytes: number;
  /** The largest workgroup extents along x and y. */
  readonly maxSizeX: number;
  readonly maxSizeY: number;
}

type Elem = 'f32' | 'u32';

/** A bound tensor: row-major, its dims and strides passed as u32 parameters. */
export class TensorVar {
  constructor(
    readonly name: string,
    readonly rank: number,
    private readonly s: ShaderBuilder,
  ) {}

  dim(i: number): string {
    this.check(i);
    return this.s.param(`${this.name}_d${i}`, 'u32');
  }

  stride(i: number): string {
    this.check(i);
    return this.s.param(`${this.name}_s${i}`, 'u32');
  }

  /** Elements in the tensor. */
  get count(): string {
    return this.s.param(`${this.name}_n`, 'u32');
  }

  /** The flat offset of an index tuple (u32 expressions, outermost first). */
  offset(...idx: string[]): string {
    if (idx.length !== this.rank) {
      throw new Error(`${this.name}: ${idx.length} indices for a rank-${this.rank} tensor`);
    }
    const terms = idx.map((e, i) =>
      i === this.rank - 1 ? `(${e})` : `(${e}) * ${this.stride(i)}`,
    );
    return terms.join(' + ');
  }

  /** The element at a flat offset. */
  get(off: string): string {
    return `${this.name}[${off}]`;
  }

  /** The element at an index tuple. */
  at(...idx: string[]): string {
    return this.get(this.offset(...idx));
  }

  /** A statement writing `value` at a flat offset. */
  set(off: string, value: string): string {
    return `${this.name}[${off}] = ${value};`;
  }

  /** Statements declaring `let <names[i]>`: the coordinates of flat offset `flat`. */
  unravel(flat: string, names: readonly string[]): string {
    if (names.length !== this.rank) {
      throw new Error(`${this.name}: ${names.length} names for a rank-${this.rank} tensor`);
    }
    const strides = names.map((_, i) => (i === this.rank - 1 ? '1u' : this.stride(i)));
    return unravelBy(flat, strides, names);
  }

  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.rank) {
      throw new Error(`${this.name}: no dimension ${i} in a rank-${this.rank} tensor`);
    }
  }
}

/** Statements declaring `let <names[i]>` from a flat index and row-major strides. */
export function unravelBy(
  flat: string,
  strides: readonly string[],
  names: readonly string[],
): string {
  const rest = `${names[0]}_rest`;
  const lines = [`var ${rest} = ${flat};`];
  names.forEach((n, i) => {
    if (i === names.length - 1) {
      lines.push(`let ${n} = ${rest};`);
    } else {
      lines.push(`let ${n} = ${rest} / ${strides[i]};`);
      lines.push(`${rest} = ${rest} % ${strides[i]};`);
    }
  });
  return lines.join('\n');
}

interface Binding {
  readonly name: string;
  readonly kind: BindingKind;
  readonly elem: Elem;
}

export class ShaderBuilder {
  private readonly bindings: Binding[] = [];
  private readonly tensors: TensorBinding[] = [];
  private readonly fields: ParamField[] = [];
  private readonly decls = new Set<string>();
  private size: [number, number, number];
  private body = '';

  constructor(readonly device: DeviceShape) {
    this.size = [device.invocations, 1, 1];
  }

  /** A tensor binding; bindings are numbered in the order they are declared. */
  tensor(name: string, rank: number, access: 'read' | 'read_write' = 'read'): TensorVar {
    this.bind(name, access, 'f32');
    this.tensors.push({ name, rank });
    return new TensorVar(name, rank, this);
  }

  /** A shapeless buffer binding (scratch of u32 indices, a flat view). */
  buffer(name: string, access: 'read' | 'read_write', elem: Elem = 'f32'): string {
    this.bind(name, access, elem);
    return name;
  }

  /** A uniform parameter; returns the WGSL expression that reads it. Repeats share a field. */
  param(name: string, type: ScalarType): string {
    let k = this.fields.findIndex((f) => f.name === name);
    if (k < 0) {
      k = this.fields.length;
      this.fields.push({ name, type });
    } else if (this.fields[k]!.type !== type) {
      throw new Error(`parameter ${name} declared as ${this.fields[k]!.type} and ${type}`);
    }
    const word = `P.v[${k >> 2}][${k & 3}]`;
    return type === 'u32' ? word : `bitcast<${type}>(${word})`;
  }

  /** Module-scope WGSL (helper functions, workgroup arrays); each distinct text once. */
  define(code: string): void {
    this.decls.add(code.trim());
  }

  workgroup(x: number, y = 1, z = 1): void {
    if (x * y * z > this.device.invocations) {
      throw new Error(`workgroup ${x}x${y}x${z} exceeds ${this.device.invocations} invocations`);
    }
    this.size = [x, y, z];
  }

  /** Flat invocation index of a 1-D workload laid over a 2-D grid (see `grid`). */
  get flatId(): string {
    return `(gid.x + gid.y * nwg.x * ${this.size[0]}u)`;
  }

  /** Flat workgroup index when each workgroup handles one item (reductions). */
  get groupId(): string {
    return '(wid.x + wid.y * nwg.x)';
  }

  main(body: string): void {
    this.body = body;
  }

  finish(key: string): Program {
    const words = Math.max(1, Math.ceil(this.fields.length / 4));
    const lines: string[] = [`struct Params { v: array<vec4<u32>, ${words}> }`];
    this.bindings.forEach((b, i) => {
      const space = b.kind === 'read' ? 'storage, read' : 'storage, read_write';
      lines.push(`@group(0) @binding(${i}) var<${space}> ${b.name}: array<${b.elem}>;`);
    });
    lines.push(`@group(0) @binding(${this.bindings.length}) var<uniform> P: Params;`);
    lines.push(...this.decls);
    const [x, y, z] = this.size;
    lines.push(
      `@compute @workgroup_size(${x}, ${y}, ${z})`,
      'fn main(@builtin(global_invocation_id) gid: vec3u,',
      '        @builtin(local_invocation_id) lid: vec3u,',
      '        @builtin(local_invocation_index) lix: u32,',
      '        @builtin(workgroup_id) wid: vec3u,',
      '        @builtin(num_workgroups) nwg: vec3u) {',
      this.body,
      '}',
    );
    return {
      key,
      code: lines.join('\n'),
      bindings: this.bindings.map((b) => b.kind),
      tensors: [...this.tensors],
      fields: [...this.fields],
    };
  }

  private bind(name: string, kind: BindingKind, elem: Elem): void {
    if (this.bindings.some((b) => b.name === name))
      throw new Error(`binding ${name} declared twice`);
    this.bindings.push({ name, kind, elem });
  }
}
