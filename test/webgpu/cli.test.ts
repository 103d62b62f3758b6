/**
 * `kiln run`, `kiln bench` and `kiln train` with `--backend webgpu`, as a user runs them (the
 * built CLI in a child process, which inherits the Vulkan settings gpu.ts made).
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { example, kiln, root, scratch } from '../cli/kiln.js';
import { describeGpu } from './gpu.js';

interface RunDoc {
  backend: string;
  outputs: Record<string, { shape: number[]; data: number[] }>;
}

const subset = join(root, 'test/train/data/fashion-mnist-2k');

describeGpu('kiln with --backend webgpu', () => {
  it('runs LeNet-5 and matches the cpu backend', () => {
    const run = (backend: string): RunDoc => {
      const r = kiln([
        'run',
        example('lenet5.kiln'),
        '--backend',
        backend,
        '--random',
        '3',
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as RunDoc;
    };
    const [gpu, cpu] = [run('webgpu'), run('cpu')];
    expect(gpu.backend).toBe('webgpu');
    const want = cpu.outputs['logits']!;
    const got = gpu.outputs['logits']!;
    expect(got.shape).toEqual(want.shape);
    const scale = Math.max(1, ...want.data.map(Math.abs));
    got.data.forEach((v, i) => expect(Math.abs(v - want.data[i]!) / scale).toBeLessThan(1e-5));
  });

  it('says which adapter runs it', () => {
    const r = kiln(['run', example('mlp-fashion.kiln'), '--backend', 'webgpu']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/backend: webgpu \(adapter [^,]+, .*fallbackAdapter (true|false)/);
  });

  it('benches', () => {
    const r = kiln(['bench', '--backend', 'webgpu', '--budget', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { backend: string; results: { ms: number }[] };
    expect(doc.backend).toBe('webgpu');
    expect(doc.results.length).toBeGreaterThan(0);
    for (const row of doc.results) expect(row.ms).toBeGreaterThan(0);
  });

  it('trains the Fashion-MNIST MLP: the loss falls, and accuracy is as on the cpu', () => {
    const train = (backend: string) => {
      const out = join(scratch(), 'w.safetensors');
      const args = ['--data', subset, '--epochs', '2', '--limit', '256', '--backend', backend];
      const r = kiln(['train', example('mlp-fashion.kiln'), ...args, '-o', out, '--json']);
      expect(r.code, r.stderr).toBe(0);
      return (
        JSON.parse(r.stdout) as { epochs: { trainLoss: number; test: { accuracy: number } }[] }
      ).epochs;
    };
    const [gpu, cpu] = [train('webgpu'), train('cpu')];
    expect(gpu[1]!.trainLoss).toBeLessThan(gpu[0]!.trainLoss);
    expect(Math.abs(gpu[1]!.test.accuracy - cpu[1]!.test.accuracy)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(gpu[1]!.trainLoss - cpu[1]!.trainLoss)).toBeLessThan(1e-3);
  }, 180_000);
});

it('kiln run --backend webgpu without a Vulkan driver says what to install (exit 1)', () => {
  const r = kiln(['run', example('lenet5.kiln'), '--backend', 'webgpu'], {
    env: { VK_ICD_FILENAMES: '/nonexistent/icd.json' },
  });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('no WebGPU adapter');
  expect(r.stderr).toContain('VK_ICD_FILENAMES');
  // Dawn logs the failed Vulkan calls itself (with C++ locations); no JavaScript stack follows.
  expect(r.stderr).not.toMatch(/\n\s+at .*(file:|node:)/);
  expect(r.stderr).not.toContain('internal error');
});
