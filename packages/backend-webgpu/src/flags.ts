/**
 * The WebGPU flag values this backend uses, as the specification numbers them. Reading them
 * from the `GPUBufferUsage` globals would need those globals installed first, which Node's
 * `webgpu` package leaves to its caller; a library should not write to `globalThis`.
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const ShaderStage = { COMPUTE: 0x4 } as const;

export const MapMode = { READ: 0x0001 } as const;
