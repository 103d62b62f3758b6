/**
 * Every way this backend refuses a graph or ends a run, worded in one place. Each is a
 * DiagnosticError with a `webgpu/...` code, so the CLI renders it like any other diagnostic.
 */
import { DiagnosticError, error, formatShape } from '@kiln/core';
import type { Span } from '@kiln/core';

/** Bytes as a person reads them, with the exact count. */
export function bytesText(bytes: number): string {
  const unit =
    bytes >= 2 ** 30
      ? `${(bytes / 2 ** 30).toFixed(2)} GiB`
      : bytes >= 2 ** 20
        ? `${(bytes / 2 ** 20).toFixed(1)} MiB`
        : `${bytes} bytes`;
  return unit.endsWith('bytes') ? unit : `${unit} (${bytes} bytes)`;
}

/** A tensor past the largest buffer a shader may bind. */
export function tooLarge(
  what: string,
  shape: readonly number[],
  bytes: number,
  limit: string,
  value: number,
  span?: Span,
): DiagnosticError {
  const message =
    `${what} ${formatShape(shape)} needs ${bytesText(bytes)}, more than this device's ` +
    `${limit} of ${bytesText(value)}`;
  const hint =
    'the webgpu backend binds each tensor whole and does not split one yet: use a smaller ' +
    'batch or input, or a device with a larger limit';
  return new DiagnosticError([error('webgpu/limit', message, span, { hint })]);
}

/** A dispatch wider than the device's workgroup grid (two dimensions of it are used). */
export function tooManyWorkgroups(node: string, count: number, limit: number): DiagnosticError {
  const message =
    `node \`${node}\` needs ${count} workgroups, more than maxComputeWorkgroupsPerDimension² ` +
    `(${limit}²) of this device`;
  return new DiagnosticError([error('webgpu/limit', message)]);
}

export function noAdapter(why: string): DiagnosticError {
  const hint =
    'WebGPU needs a GPU driver. In Node without a GPU, install a Vulkan loader and ' +
    'SwiftShader (Debian: `apt-get install libvulkan1 chromium`) and set ' +
    'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json; in a browser, enable WebGPU';
  return new DiagnosticError([
    error('webgpu/no-adapter', `no WebGPU adapter: ${why}`, undefined, { hint }),
  ]);
}

export function deviceLost(reason: string, message: string): DiagnosticError {
  const text = `the WebGPU device was lost (${reason})${message ? `: ${message}` : ''}`;
  return new DiagnosticError([error('webgpu/device-lost', text)]);
}

/** A GPU error raised while a model was being uploaded, prepared or run. */
export function runFailed(kind: string, message: string, graph: string): DiagnosticError {
  const text = `WebGPU ${kind} error on \`${graph}\`: ${message.trim()}`;
  return new DiagnosticError([error('webgpu/gpu-error', text)]);
}
