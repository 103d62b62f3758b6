#!/usr/bin/env bash
# `pnpm demo`: Kiln's main job on VGG-16. Check and summarise the model, rewrite its dense head
# into convolutions and verify that outputs stay equal on the CPU backend, then export the
# rewritten model to ONNX. The ONNX file goes to demo-out/, a folder only this script writes to
# (so re-running it replaces its own earlier file, and nothing else).
set -euo pipefail
cd "$(dirname "$0")/.."
kiln() { node apps/cli/dist/main.js "$@"; }

kiln check examples/vgg16.kiln
kiln summary examples/vgg16.kiln
kiln rewrite examples/vgg16.kiln --pass fc-to-conv --verify
mkdir -p demo-out
kiln export examples/vgg16.kiln --pass fc-to-conv --spatial -o demo-out/vgg16-fcn.onnx --force
