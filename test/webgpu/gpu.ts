/**
 * Whether WebGPU runs here, decided once per test file. Node's `webgpu` package (Dawn) needs a
 * Vulkan loader and driver; on a machine without a GPU that is SwiftShader, which Debian's
 * chromium ships. VK_ICD_FILENAMES is pointed at it when unset and the file exists.
 *
 * In CI (CI=true) a missing adapter fails the webgpu tests; elsewhere they are skipped with a
 * message saying what to install.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

if (!process.env['VK_ICD_FILENAMES'] && existsSync(SWIFTSHADER_ICD)) {
  process.env['VK_ICD_FILENAMES'] = SWIFTSHADER_ICD;
}
// The Vulkan loader warns on every start without a private runtime directory.
if (!process.env['XDG_RUNTIME_DIR']) {
  process.env['XDG_RUNTIME_DIR'] = mkdtempSync(join(tmpdir(), 'kiln-xdg-'));
}

const INSTALL =
  'install a Vulkan loader and SwiftShader (`apt-get install -y libvulkan1 chromium`) and set ' +
  `VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`;

async function probe(): Promise<string | undefined> {
  try {
    const { nodeGpu } = await import('../../packages/backend-webgpu/src/index.js');
    const adapter = await (await nodeGpu()).requestAdapter();
    return adapter ? undefined : `Dawn found no WebGPU adapter; ${INSTALL}`;
  } catch (e) {
    return `Dawn (the \`webgpu\` package) does not load: ${(e as Error).message}; ${INSTALL}`;
  }
}

/** Why WebGPU cannot run here, or undefined when it can. */
export const gpuProblem = await probe();

/** `describe` for tests that need WebGPU: skipped locally without it, failing in CI. */
export function describeGpu(name: string, body: () => void): void {
  if (gpuProblem && process.env['CI']) {
    describe(name, () => {
      it('needs WebGPU (Dawn on Vulkan)', () => {
        throw new Error(gpuProblem);
      });
    });
    return;
  }
  describe.skipIf(gpuProblem !== undefined)(
    gpuProblem ? `${name} (skipped: ${gpuProblem})` : name,
    body,
  );
}
