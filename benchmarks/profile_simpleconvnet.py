"""Where one SimpleConvNet training step spends its time, layer by layer (cnnlib, NumPy).

    python benchmarks/profile_simpleconvnet.py [--batch 100] [--repeats 30] [--statistic min] [--fused]

Times each layer's forward and backward on a batch of MNIST images (the median of the
repeats, after a warm-up; ``--statistic min`` gives the fastest, what a layer costs when
nothing else runs on the machine), and the optimiser's update. ``--fused`` profiles
``models.fuse(SimpleConvNet())``, its conv → ReLU → pool block computed as one layer.
Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--statistic", choices=("median", "min"), default="median")
    parser.add_argument("--fused", action="store_true", help="profile models.fuse(SimpleConvNet())")
    args = parser.parse_args(argv)
    os.environ.setdefault("CNNLIB_OFFLINE", "1")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

    import numpy as np

    from cnnlib import data, threads
    from cnnlib.models import SimpleConvNet, fuse
    from cnnlib.optim import SGD

    (x_train, y_train), _ = data.load_mnist()
    x = data.prepare(x_train[: args.batch])
    y = y_train[: args.batch].astype(np.int64)
    net, sgd = SimpleConvNet(seed=0), SGD(0.01)
    if args.fused:
        net = fuse(net)
    times = {}

    def timed(key, fn, *a, **k):
        start = time.perf_counter()
        out = fn(*a, **k)
        times.setdefault(key, []).append(time.perf_counter() - start)
        return out

    with threads.blas_threads():
        for rep in range(args.repeats + 5):
            out = x
            for layer in net.layers:
                out = timed(f"{layer.name} forward", layer.forward, out, training=True)
            timed("loss forward", net.loss_layer.forward, out, y)
            dout = timed("loss backward", net.loss_layer.backward)
            for i in range(len(net.layers) - 1, 0, -1):
                layer = net.layers[i]
                dout = timed(f"{layer.name} backward", layer.backward, dout)
            timed(f"{net.layers[0].name} backward", net.layers[0].backward, dout, input_grad=False)
            timed("SGD step", sgd.step, net)
            if rep == 4:  # warm-up done
                times.clear()
    pick = statistics.median if args.statistic == "median" else min
    ms = {k: 1000 * pick(v) for k, v in times.items()}
    model = "fuse(SimpleConvNet)" if args.fused else "SimpleConvNet"
    print(f"| {model} step, batch {args.batch}: where the time goes ({args.statistic}) "
          "| ms |")
    print("|---|---:|")
    for key, value in ms.items():
        print(f"| {key} | {value:.2f} |")
    print(f"| **total** | **{sum(ms.values()):.1f}** |")


if __name__ == "__main__":
    main()
