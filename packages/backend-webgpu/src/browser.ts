/**
 * The browser entry: no Node built-ins. Pass the page's (or worker's) `navigator.gpu`:
 * `createWebGpuBackend({ gpu: navigator.gpu })`.
 */
export { createWebGpuBackend } from './backend.js';
export type { WebGpuBackendOptions } from './backend.js';
export type { LimitCaps } from './device.js';
