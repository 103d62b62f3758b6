/**
 * Which opsets Kiln writes, and the IR version each is written with. The pairing follows the
 * ONNX releases that introduced each opset (opset 18 shipped with IR 8, 19–20 with IR 9, 21 with
 * IR 10), so a reader of that vintage accepts the file; onnx 1.12's checker reads IR 8 at most,
 * which covers opsets 13–18.
 */
export const MIN_OPSET = 13;
export const MAX_OPSET = 21;
export const DEFAULT_OPSET = 17;

export function irVersionFor(opset: number): number {
  if (opset <= 18) return 8;
  return opset <= 20 ? 9 : 10;
}
