/**
 * The WebGPU backend for Node: the GPU object comes from Dawn's `webgpu` package, loaded on the
 * first compile (so importing this module costs nothing where WebGPU is never used). Without a
 * GPU, Dawn runs on SwiftShader's Vulkan driver: set VK_ICD_FILENAMES to its ICD file (Debian's
 * chromium ships /usr/lib/chromium/vk_swiftshader_icd.json). Browsers import
 * `@kiln/backend-webgpu/browser` and pass `navigator.gpu`.
 */
import type { Backend } from '@kiln/core';
import type { WebGpuBackendOptions } from './backend.js';
import { createWebGpuBackend as createWith } from './backend.js';

export type { WebGpuBackendOptions } from './backend.js';
export type { LimitCaps } from './device.js';

/** Dawn's GPU object, made once per process (each `create` starts another Dawn instance). */
let dawn: Promise<GPU> | undefined;

export function nodeGpu(): Promise<GPU> {
  dawn ??= import('webgpu').then(({ create }) => create([]));
  return dawn;
}

/** The WebGPU backend; in Node the GPU defaults to Dawn's. */
export function createWebGpuBackend(options: Partial<WebGpuBackendOptions> = {}): Backend {
  return createWith({ ...options, gpu: options.gpu ?? nodeGpu });
}

/** The WebGPU backend with every kernel, on Dawn. */
export const webgpuBackend: Backend = createWebGpuBackend();
