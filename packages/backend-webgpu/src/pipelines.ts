/**
 * Compute pipelines cached by program key, one cache per device: every session of a backend
 * shares it, so a training loop or a second model of the same layer kinds compiles nothing new.
 * Layouts are explicit (from the program's binding list), so a binding a shader happens not to
 * read still takes its place in the bind group.
 */
import { ShaderStage } from './flags.js';
import type { Program } from './wgsl/program.js';

export interface Pipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

export class PipelineCache {
  private readonly cache = new Map<string, Promise<Pipeline>>();

  /**
   * `maxStorage`: the storage buffers a shader stage may bind, the device's limit or the lower
   * cap the backend was given (a stand-in for a smaller device), which WebGPU itself would not
   * enforce below the device's own limit.
   */
  constructor(
    private readonly device: GPUDevice,
    private readonly maxStorage: number,
  ) {}

  /** Pipelines compiled (or being compiled) so far. */
  get size(): number {
    return this.cache.size;
  }

  get(program: Program): Promise<Pipeline> {
    if (program.bindings.length > this.maxStorage) {
      return Promise.reject(
        new Error(
          `webgpu backend: \`${program.key}\` binds ${program.bindings.length} storage buffers; ` +
            `this device allows ${this.maxStorage} per shader stage ` +
            '(maxStorageBuffersPerShaderStage)',
        ),
      );
    }
    let entry = this.cache.get(program.key);
    if (!entry) {
      entry = this.create(program);
      // A failed compile is not cached: the error names the key, and a retry tries again.
      entry.catch(() => this.cache.delete(program.key));
      this.cache.set(program.key, entry);
    }
    return entry;
  }

  private async create(program: Program): Promise<Pipeline> {
    const device = this.device;
    const entries: GPUBindGroupLayoutEntry[] = program.bindings.map((kind, binding) => ({
      binding,
      visibility: ShaderStage.COMPUTE,
      buffer: { type: kind === 'read' ? 'read-only-storage' : 'storage' },
    }));
    entries.push({
      binding: program.bindings.length,
      visibility: ShaderStage.COMPUTE,
      buffer: { type: 'uniform' },
    });
    const layout = device.createBindGroupLayout({ label: program.key, entries });
    const module = device.createShaderModule({ label: program.key, code: program.code });
    try {
      const pipeline = await device.createComputePipelineAsync({
        label: program.key,
        layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
        compute: { module, entryPoint: 'main' },
      });
      return { pipeline, layout };
    } catch (e) {
      const info = await module.getCompilationInfo();
      const messages = info.messages
        .filter((m) => m.type === 'error')
        .map((m) => `${m.lineNum}:${m.linePos}: ${m.message}`);
      const why = messages.length ? messages.join('\n') : (e as Error).message;
      throw new Error(`webgpu backend: the shader of \`${program.key}\` does not compile:\n${why}`);
    }
  }
}
