import { describe, expect, it } from 'vitest';
import { PipelineCache } from '../src/pipelines.js';
import { program } from '../src/wgsl/program.js';

const device = { invocations: 64, workgroupBytes: 16384, maxSizeX: 256, maxSizeY: 256 };

/** A program binding `n` storage buffers (n - 1 read, one written). */
const binding = (n: number) =>
  program(`bind-${n}`, device, (s) => {
    const ins = Array.from({ length: n - 1 }, (_, i) => s.tensor(`x${i}`, 1));
    const y = s.tensor('y', 1, 'read_write');
    s.main(`
  let i = ${s.flatId};
  if (i >= ${y.count}) { return; }
  ${y.set('i', ins.map((x) => x.at('i')).join(' + '))}`);
  });

describe('pipeline cache', () => {
  // The cap stands in for a smaller device: WebGPU would only enforce the device's own limit,
  // so a kernel past the cap would run here and fail on the device the cap describes.
  it('refuses a program binding more storage buffers than the cap, naming both counts', async () => {
    const cache = new PipelineCache({} as GPUDevice, 4);
    await expect(cache.get(binding(5))).rejects.toThrow(
      'webgpu backend: `bind-5@wg64` binds 5 storage buffers; this device allows 4 per shader ' +
        'stage (maxStorageBuffersPerShaderStage)',
    );
    expect(cache.size).toBe(0);
  });
});
