#!/usr/bin/python3
"""Times one training epoch of examples/mlp-fashion.kiln's network in PyTorch on one thread.

The peer for BENCHMARKS.md's training section: the same layers (784-256-128-100-10, ReLU), the
same settings (SGD, momentum 0.9, lr 0.01, batch 64, cross-entropy), the same data (Debian's
Fashion-MNIST, pixels scaled to [0, 1]), one shuffled pass over the 60,000 training images.
Compare with the epoch time `kiln train examples/mlp-fashion.kiln --epochs 1` prints, run on
the same machine right after. Not part of the test suite (CI has no PyTorch).

Run: /usr/bin/python3 test/train/torch_mlp_epoch.py [DATA_DIR]
"""
import gzip
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
root = sys.argv[1] if len(sys.argv) > 1 else '/usr/share/datasets/fashion-mnist'


def idx(name):
    b = gzip.open(f'{root}/{name}').read()
    rank = b[3]
    dims = struct.unpack('>' + 'I' * rank, b[4:4 + 4 * rank])
    return np.frombuffer(b, np.uint8, offset=4 + 4 * rank).reshape(dims)


x = torch.tensor(idx('train-images-idx3-ubyte.gz').reshape(-1, 784) / 255.0, dtype=torch.float32)
y = torch.tensor(idx('train-labels-idx1-ubyte.gz').astype(np.int64))
torch.manual_seed(0)
layers = [torch.nn.Linear(a, b) for a, b in [(784, 256), (256, 128), (128, 100), (100, 10)]]
params = [p for layer in layers for p in layer.parameters()]
opt = torch.optim.SGD(params, lr=0.01, momentum=0.9)


def forward(v):
    for layer in layers[:-1]:
        v = F.relu(layer(v))
    return layers[-1](v)


start = time.perf_counter()
order = torch.randperm(len(x))
total = 0.0
for i in range(0, len(x), 64):
    batch = order[i:i + 64]
    loss = F.cross_entropy(forward(x[batch]), y[batch])
    opt.zero_grad()
    loss.backward()
    opt.step()
    total += float(loss) * len(batch)
seconds = time.perf_counter() - start
print(f'torch {torch.__version__}, 1 thread: one epoch in {seconds:.2f} s, train loss {total / len(x):.4f}')
