#!/usr/bin/python3
"""Checks a trained Kiln weights file outside Kiln: loads it into the same network built in
PyTorch and measures test accuracy on Debian's Fashion-MNIST. Used for BENCHMARKS.md's
training figures (Kiln reports its own accuracy; this confirms it with another runtime).

Run: /usr/bin/python3 test/train/torch_check_accuracy.py mlp|cnn WEIGHTS.safetensors [DATA_DIR]
"""
import gzip
import json
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

kind, path = sys.argv[1], sys.argv[2]
root = sys.argv[3] if len(sys.argv) > 3 else '/usr/share/datasets/fashion-mnist'


def idx(name):
    b = gzip.open(f'{root}/{name}').read()
    rank = b[3]
    dims = struct.unpack('>' + 'I' * rank, b[4:4 + 4 * rank])
    return np.frombuffer(b, np.uint8, offset=4 + 4 * rank).reshape(dims)


def safetensors(file):
    raw = open(file, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        a, b = info['data_offsets']
        data = np.frombuffer(raw[8 + n + a:8 + n + b], '<f4').reshape(info['shape'])
        out[name] = torch.tensor(data.copy())
    return out


w = safetensors(path)
x = torch.tensor(idx('t10k-images-idx3-ubyte.gz') / 255.0, dtype=torch.float32).unsqueeze(1)
y = torch.tensor(idx('t10k-labels-idx1-ubyte.gz').astype(np.int64))


def mlp(v):
    v = v.flatten(1)
    for name in ['hidden1', 'hidden2', 'hidden3']:
        v = F.relu(F.linear(v, w[f'{name}.weight'], w[f'{name}.bias']))
    return F.linear(v, w['logits.weight'], w['logits.bias'])


def cnn(v):
    v = F.max_pool2d(F.relu(F.conv2d(v, w['conv1.weight'], w['conv1.bias'], padding=1)), 2)
    v = F.max_pool2d(F.relu(F.conv2d(v, w['conv2.weight'], w['conv2.bias'], padding=1)), 2)
    v = F.relu(F.linear(v.flatten(1), w['hidden.weight'], w['hidden.bias']))
    return F.linear(v, w['logits.weight'], w['logits.bias'])


with torch.no_grad():
    logits = (mlp if kind == 'mlp' else cnn)(x)
print(f'{path}: test accuracy {(logits.argmax(1) == y).float().mean().item():.4f} (PyTorch)')
