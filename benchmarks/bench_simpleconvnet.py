"""How fast is cnnlib's NumPy SimpleConvNet next to the same model in Keras?

Times, in one process, one training step (batch of 100 MNIST images 28×28×1:
forward, backward, SGD update) of cnnlib's SimpleConvNet — on one thread, split over
the CPU's cores with ``cnnlib.parallel.DataParallel``, and both again with its
conv → ReLU → pool block computed as one layer (``cnnlib.models.fuse``) — and of the identical
Keras model (``cnnlib.models.keras_simple_convnet``), both as a compiled
``train_on_batch`` and as a ``tf.function`` train step. The libraries take
turns, 10 steps at a time, so that load from other processes hits all alike;
each is warmed up first and the median of the repeats is reported. Then the naive
(plain-loop) and the fast (im2col) convolution of that batch.

    python benchmarks/bench_simpleconvnet.py [--repeats 50] [--blas-threads 1]
                                             [--openblas-coretype SkylakeX]

``--blas-threads N`` sets ``OPENBLAS_NUM_THREADS=N`` before NumPy is imported; 0 (NumPy's
own choice, a thread per core) is what a learner's Jupyter or Colab has. cnnlib's models
limit NumPy's BLAS to one thread themselves while they compute (``cnnlib.threads``), so
the two settings must time the same cnnlib step: OpenBLAS's idle threads busy-wait, and on
two cores shared with TensorFlow's thread pool an unlimited step once took up to 29× longer
(see benchmarks/README.md). Keras keeps TensorFlow's defaults.

``--openblas-coretype NAME`` sets ``OPENBLAS_CORETYPE=NAME`` before NumPy is imported: the
kernels OpenBLAS runs, which it otherwise picks by recognising the CPU. The first line
printed says which kernels NumPy's matrix products ran and what vector instructions the CPU
has (``cnnlib.threads.blas_kernels``); on the project's AMD EPYC OpenBLAS takes AVX2 kernels
though the CPU has AVX-512, which TensorFlow's oneDNN uses (benchmarks/README.md).

Prints a markdown table (the one in benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path


def median_ms(times):
    return 1000 * statistics.median(times)


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=50, help="timed steps per library")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--naive-repeats", type=int, default=2)
    parser.add_argument("--blas-threads", type=int, default=0,
                        help="OPENBLAS_NUM_THREADS before NumPy loads (default 0: NumPy's own "
                             "choice, as in a learner's notebook)")
    parser.add_argument("--openblas-coretype", metavar="NAME",
                        help="OPENBLAS_CORETYPE before NumPy loads: OpenBLAS's kernel set "
                             "(e.g. SkylakeX for AVX-512, Haswell for AVX2); default: "
                             "OpenBLAS's own choice for this CPU")
    args = parser.parse_args(argv)
    if args.openblas_coretype:  # read once, when NumPy loads OpenBLAS
        if "numpy" in sys.modules:
            parser.error("--openblas-coretype: NumPy is already imported and OpenBLAS has "
                         "chosen its kernels; run the script on its own")
        os.environ["OPENBLAS_CORETYPE"] = args.openblas_coretype
    if args.blas_threads:  # must be set before NumPy is imported
        for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # not OMP: TF might read it
            os.environ[var] = str(args.blas_threads)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("CNNLIB_OFFLINE", "1")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

    import keras
    import numpy as np
    import tensorflow as tf

    from cnnlib import data, ops, threads
    from cnnlib.models import SimpleConvNet, fuse, keras_simple_convnet
    from cnnlib.optim import SGD
    from cnnlib.parallel import DataParallel

    (x_train, y_train), _ = data.load_mnist()
    x = data.prepare(x_train[: args.batch])  # (100, 28, 28, 1) float32 in [0, 1]
    y = y_train[: args.batch].astype(np.int64)

    # cnnlib: forward + backward + SGD update
    net, sgd = SimpleConvNet(seed=0), SGD(0.01)

    def cnnlib_step():
        net.backprop(x, y)
        sgd.step(net)

    # ... and the same model, the batch split over the cores (data parallelism)
    parallel = DataParallel(SimpleConvNet(seed=0))
    sgd2 = SGD(0.01)

    def parallel_step():
        parallel.backprop(x, y)
        sgd2.step(parallel)

    # ... its conv → ReLU → pool block computed as one layer (models.fuse), on one thread
    fused, sgd3 = fuse(SimpleConvNet(seed=0)), SGD(0.01)

    def fused_step():
        fused.backprop(x, y)
        sgd3.step(fused)

    # ... and fused, the batch split over the cores
    fused_parallel, sgd4 = DataParallel(fuse(SimpleConvNet(seed=0))), SGD(0.01)

    def fused_parallel_step():
        fused_parallel.backprop(x, y)
        sgd4.step(fused_parallel)

    # Keras: the identical model, compiled train_on_batch ...
    model = keras_simple_convnet(seed=0)
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="sparse_categorical_crossentropy")

    def keras_step():
        model.train_on_batch(x, y)

    # ... and a hand-written tf.function step
    model2 = keras_simple_convnet(seed=0)
    optimizer = keras.optimizers.SGD(0.01)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    tx, ty = tf.constant(x), tf.constant(y)

    @tf.function
    def tf_function_step(images, labels):
        with tf.GradientTape() as tape:
            loss = loss_fn(labels, model2(images, training=True))
        grads = tape.gradient(loss, model2.trainable_variables)
        optimizer.apply_gradients(zip(grads, model2.trainable_variables))
        return loss

    def tf_step():
        tf_function_step(tx, ty).numpy()

    steps = {"cnnlib": cnnlib_step, "parallel": parallel_step, "fused": fused_step,
             "fused_parallel": fused_parallel_step, "keras": keras_step, "tf": tf_step}
    for step in steps.values():
        for _ in range(args.warmup):
            step()
    times = {name: [] for name in steps}
    block = 10
    for _ in range(-(-args.repeats // block)):
        # take turns in blocks, so that background load hits all alike; the first step
        # of a block is not timed (it may still meet the other library's idle threads)
        for name, step in steps.items():
            step()
            times[name] += [timed(step) for _ in range(block)]
    ms = {name: median_ms(t) for name, t in times.items()}
    best_keras = min(ms["keras"], ms["tf"])
    best_cnnlib = min(ms["cnnlib"], ms["parallel"], ms["fused"], ms["fused_parallel"])

    # naive vs fast convolution of the same batch
    w = net.params["conv2d/kernel"]
    fast = median_ms([timed(lambda: ops.conv2d(x, w)) for _ in range(args.repeats)])
    naive = median_ms([timed(lambda: ops.conv2d_naive(x, w))
                       for _ in range(args.naive_repeats)])

    # im2col of that batch: the windows copied as rows (C order), or column by column, each
    # column the batch shifted by (i, j), as cnnlib does for one input channel
    windows = np.lib.stride_tricks.sliding_window_view(x, (5, 5), axis=(1, 2))
    by_rows = median_ms([timed(lambda: windows.transpose(0, 1, 2, 4, 5, 3).reshape(-1, 25))
                         for _ in range(args.repeats)])
    by_columns = median_ms([timed(lambda: ops.im2col(x, (5, 5), (1, 1), (24, 24)))
                            for _ in range(args.repeats)])

    from threadpoolctl import threadpool_info

    def blas_threads():
        return ",".join(str(lib["num_threads"]) for lib in threadpool_info()
                        if lib["user_api"] == "blas")

    inside = []
    spy = type("Spy", (), {"forward": lambda self, x, training=False: inside.append(
        blas_threads()) or x})
    net.layers.insert(0, spy())
    net.forward(x[:1])
    net.layers.pop(0)
    blas = (f"{os.environ.get('OPENBLAS_NUM_THREADS', 'unset')} (NumPy {blas_threads()}, "
            f"inside cnnlib {inside[0]})")
    print(f"NumPy {np.__version__} | TensorFlow {tf.__version__} | Keras {keras.__version__} | "
          f"Python {platform.python_version()} | {os.cpu_count()} CPU cores | "
          f"OPENBLAS_NUM_THREADS {blas} | median of {args.repeats} steps after "
          f"{args.warmup} warm-up")
    kernels = threads.blas_kernels()
    print(f"NumPy's matrix products: {kernels['text']}")
    if kernels["narrower"] and not args.openblas_coretype:
        print(f"(OpenBLAS chose {kernels['kernel_width']} kernels on a CPU with "
              f"{kernels['cpu_width']}; TensorFlow's oneDNN picks its own. "
              "--openblas-coretype SkylakeX times NumPy with AVX-512 kernels.)")
    print()
    print(f"| SimpleConvNet training step, batch {args.batch} (28×28×1) | time |")
    print("|---|---:|")
    print(f"| cnnlib (NumPy), one thread: forward + backward + SGD | {ms['cnnlib']:.1f} ms |")
    print(f"| cnnlib (NumPy), `DataParallel` over {parallel.workers} threads | "
          f"{ms['parallel']:.1f} ms |")
    print(f"| cnnlib, conv → ReLU → pool as one layer (`models.fuse`), one thread | "
          f"{ms['fused']:.1f} ms |")
    print(f"| cnnlib, `fuse` and `DataParallel` over {fused_parallel.workers} threads | "
          f"{ms['fused_parallel']:.1f} ms |")
    print(f"| Keras `train_on_batch` (compiled) | {ms['keras']:.1f} ms |")
    print(f"| Keras model, `tf.function` train step | {ms['tf']:.1f} ms |")
    print(f"| **ratio fastest cnnlib / fastest Keras** | **{best_cnnlib / best_keras:.2f}×** |")
    print()
    print(f"| 5×5 convolution, 30 filters, batch {args.batch} | time |")
    print("|---|---:|")
    print(f"| `conv2d_naive` (loops over pixels) | {naive:.0f} ms |")
    print(f"| `conv2d` (im2col + one matrix product) | {fast:.1f} ms |")
    print(f"| speed-up | {naive / fast:.0f}× |")
    print()
    print("| im2col of that batch (57,600 × 25) | time |")
    print("|---|---:|")
    print(f"| the windows copied as rows | {by_rows:.2f} ms |")
    print(f"| column by column (`ops.im2col`, one channel) | {by_columns:.2f} ms |")
    print(f"| speed-up | {by_rows / by_columns:.1f}× |")
    parallel.close()
    fused_parallel.close()
    return best_cnnlib / best_keras


if __name__ == "__main__":
    main()
