"""Train cnnlib's NumPy SimpleConvNet on the offline MNIST sample; print test accuracy and time.

The full profile (the default) trains on all 5,000 images of the bundled
training sample for 15 epochs (He initialisation, Adam 1e-3, batch 16, no
augmentation) and evaluates once, at the end, on the 10,000 official test
images, which neither training nor the choice of settings ever saw: batch 16
and 15 epochs were chosen on a 4,000/1,000 split of the training sample
(``--validation 1000`` repeats that run). ``CNNLIB_PROFILE=quick`` runs one
epoch on 1,000 images.

    python benchmarks/train_simpleconvnet.py [--epochs 15] [--batch-size 16] [--seed 0]
                                             [--validation N] [--blas-threads 0]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=None, help="default: 15 (quick: 1)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--validation", type=int, default=0,
                        help="hold out the last N training images and report accuracy on them "
                             "every epoch (to choose settings without the test set)")
    parser.add_argument("--blas-threads", type=int, default=0,
                        help="OPENBLAS_NUM_THREADS before NumPy loads (default 0: unset; cnnlib limits its own BLAS use)")
    parser.add_argument("--save", default=None, help="save the trained weights to this .npz")
    args = parser.parse_args(argv)
    if args.blas_threads:  # must be set before NumPy is imported
        for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # not OMP: TF might read it
            os.environ[var] = str(args.blas_threads)
    os.environ.setdefault("CNNLIB_OFFLINE", "1")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

    import cnnlib
    from cnnlib import data
    from cnnlib.models import SimpleConvNet
    from cnnlib.optim import Adam
    from cnnlib.train import fit

    cnnlib.about()
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    n_train = cnnlib.budget(full=len(x_train), quick=1000)
    epochs = args.epochs or cnnlib.budget(full=15, quick=1)
    x_train, y_train = data.prepare(x_train[:n_train]), y_train[:n_train].astype("int64")
    x_test, y_test = data.prepare(x_test), y_test.astype("int64")
    validation_data = None
    if args.validation:
        validation_data = (x_train[-args.validation:], y_train[-args.validation:])
        x_train, y_train = x_train[: -args.validation], y_train[: -args.validation]

    net = SimpleConvNet(seed=args.seed)
    batch = args.batch_size
    print(f"Training SimpleConvNet (NumPy) on {len(x_train):,} images for {epochs} epochs: "
          f"Adam 1e-3, batch {batch}")
    start = time.perf_counter()
    fit(net, x_train, y_train, epochs=epochs, batch_size=batch, optimizer=Adam(1e-3),
        validation_data=validation_data, seed=args.seed, verbose=2)
    train_time = time.perf_counter() - start
    steps = epochs * -(-len(x_train) // batch)
    print(f"training time: {train_time:.1f} s ({1000 * train_time / steps:.0f} ms per "
          f"step of {batch} images)")
    if validation_data is not None:
        return None  # choosing settings: the test set stays unseen
    test_loss, test_accuracy = net.evaluate(x_test, y_test)
    print(f"test accuracy: {test_accuracy:.4f} (loss {test_loss:.4f}) on {len(x_test):,} "
          "test images")
    if args.save:
        net.save_weights(args.save)
    return test_accuracy


if __name__ == "__main__":
    main()
