"""Runs onnx.checker with full_check on each ONNX file named.

full_check is the checker plus strict, type-checked shape inference. It is spelled out here
rather than called as check_model(path, full_check=True), which in onnx 1.12 writes the inferred
model back over the file it checks. The checker reads the file by path, so it also checks that
external data files exist beside the model; shape inference does not need the weights' bytes.

Prints one JSON object per line, {"file": ..., "ok": true} or {"file": ..., "ok": false,
"error": ...}, and exits 0 when every file passed, 1 otherwise.
"""
import json
import sys

import onnx


def main(paths):
    failed = 0
    for path in paths:
        try:
            onnx.checker.check_model(path)
            model = onnx.load(path, load_external_data=False)
            onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
            print(json.dumps({"file": path, "ok": True}), flush=True)
        except Exception as e:  # the checker raises several exception types; report any
            failed += 1
            print(json.dumps({"file": path, "ok": False, "error": str(e)}), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    print(json.dumps({"onnx": onnx.__version__}), flush=True)
    sys.exit(main(sys.argv[1:]))
