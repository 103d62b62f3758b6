"""Runs onnx.checker.check_model(full_check=True) on each ONNX file named.

usage: check.py FILE... [--external FILE...]

Files are checked from their bytes, which is check_model's fastest path (two C++ parses, no
Python protobuf objects). Files after --external keep their weights in side files: they are
checked by path, so the checker also verifies that each side file named in the model exists
beside it, and shape inference runs on the model without the weights' bytes. (onnx 1.12's
check_model(path, full_check=True) is not used: it writes the inferred model over the file.)

Prints one JSON object per line, {"file": ..., "ok": true} or {"file": ..., "ok": false,
"error": ...}, and exits 0 when every file passed, 1 otherwise.
"""
import json
import sys

import onnx


def check(path, external):
    if external:
        onnx.checker.check_model(path)
        model = onnx.load(path, load_external_data=False)
        onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    else:
        with open(path, "rb") as f:
            onnx.checker.check_model(f.read(), full_check=True)


def main(args):
    failed = 0
    external = False
    for arg in args:
        if arg == "--external":
            external = True
            continue
        try:
            check(arg, external)
            print(json.dumps({"file": arg, "ok": True}), flush=True)
        except Exception as e:  # the checker raises several exception types; report any
            failed += 1
            print(json.dumps({"file": arg, "ok": False, "error": str(e)}), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    print(json.dumps({"onnx": onnx.__version__}), flush=True)
    sys.exit(main(sys.argv[1:]))
