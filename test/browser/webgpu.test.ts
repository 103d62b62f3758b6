/**
 * The WebGPU backend in Chromium (`--enable-unsafe-webgpu`; without a GPU Chromium runs WebGPU
 * on its SwiftShader) against the CPU backend in the same page (webgpu.page.ts), through the
 * browser entry with the page's `navigator.gpu`.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeInBrowser } from './harness.js';
import type { CompareCase, CompareResult } from './webgpu.page.js';

const example = (name: string) => ({
  source: readFileSync(new URL(`../../examples/${name}.kiln`, import.meta.url), 'utf8'),
  file: `${name}.kiln`,
});

describeInBrowser('the webgpu backend in chromium', (openPage) => {
  const page = openPage({ entry: new URL('./webgpu.page.ts', import.meta.url) });
  const compare = (c: CompareCase) => page.call<CompareResult>('compareWithCpu', c);

  it('runs lenet5 on navigator.gpu as the cpu backend does, naming the adapter', async () => {
    const got = await compare({ ...example('lenet5'), batch: 2 });
    expect(got.info.backend).toBe('webgpu');
    expect(got.info.details['adapter']).toEqual(expect.any(String));
    expect(got.info.details['fallbackAdapter']).toEqual(expect.any(Boolean));
    expect(got.error).toBeLessThanOrEqual(1e-5);
  });

  it('runs the Fashion-MNIST MLP after fc-to-conv', async () => {
    const got = await compare({ ...example('mlp-fashion'), batch: 3, pass: 'fc-to-conv' });
    expect(got.error).toBeLessThanOrEqual(1e-5);
  });
});
