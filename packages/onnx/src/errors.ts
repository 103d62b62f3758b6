/**
 * Why an export was refused. Each refusal has a stable code, names the node when one is to
 * blame (with its source span, so the CLI can point at the line), and for opset refusals says
 * the lowest opset that can express the node.
 */
import type { Diagnostic, Node } from '@kiln/core';
import { error } from '@kiln/core';

export type OnnxErrorCode =
  | 'onnx/opset-range'
  | 'onnx/opset-too-low'
  | 'onnx/unsupported-op'
  | 'onnx/weights'
  | 'onnx/shape'
  | 'onnx/too-large';

export class OnnxExportError extends Error {
  constructor(
    readonly code: OnnxErrorCode,
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
    readonly node?: string,
    readonly minOpset?: number,
  ) {
    super(message);
    this.name = 'OnnxExportError';
  }
}

/** A node the chosen opset cannot express; `minOpset` is the lowest one that can. */
export function opsetTooLow(node: Node, what: string, opset: number, minOpset: number) {
  const message = `\`${node.name}\` (${node.op}) needs ${what}, which ONNX opset ${opset} lacks; export with --opset ${minOpset} or higher`;
  return new OnnxExportError(
    'onnx/opset-too-low',
    message,
    [error('onnx/opset-too-low', message, node.span)],
    node.name,
    minOpset,
  );
}

export function nodeRefused(code: OnnxErrorCode, node: Node, message: string) {
  return new OnnxExportError(code, message, [error(code, message, node.span)], node.name);
}
