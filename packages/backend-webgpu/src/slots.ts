/**
 * The session's buffer pool: one storage buffer per plan slot, shared by every prepared shape
 * (runs are queued, so two plans never use the pool at once). A slot's buffer grows when a plan
 * needs more; `generation` then changes, and plans rebuild the bind groups that named the old
 * buffer.
 */
import { BufferUsage } from './flags.js';

export class SlotPool {
  private readonly buffers: GPUBuffer[] = [];
  generation = 0;

  constructor(private readonly device: GPUDevice) {}

  /** Bytes held by the pool. */
  get bytes(): number {
    return this.buffers.reduce((a, b) => a + b.size, 0);
  }

  /** Makes slot i at least sizes[i] bytes. */
  ensure(sizes: readonly number[]): void {
    sizes.forEach((bytes, i) => {
      const size = Math.max(16, Math.ceil(bytes / 16) * 16);
      const old = this.buffers[i];
      if (old && old.size >= size) return;
      old?.destroy();
      this.buffers[i] = this.device.createBuffer({
        label: `slot ${i}`,
        size,
        usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
      });
      this.generation++;
    });
  }

  buffer(slot: number): GPUBuffer {
    const b = this.buffers[slot];
    if (!b) throw new Error(`webgpu backend: slot ${slot} has no buffer`);
    return b;
  }
}
