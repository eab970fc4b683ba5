"""A training loop, ``fit``, that reports progress as Keras does.

``fit(model, x, y, epochs, batch_size, optimizer)`` shuffles the data each epoch,
backpropagates one batch at a time and lets the optimiser step. It returns a
history dict shaped like Keras's ``History.history`` —
``{'loss': [...], 'accuracy': [...], 'val_loss': [...], 'val_accuracy': [...]}``,
one value per epoch — so the same plotting code draws either.

Progress: ``verbose=2`` prints one line per epoch (what notebooks should store);
``verbose=1`` also shows a progress bar that redraws itself in place with ``'\\r'``
(for terminals); ``verbose=0`` prints nothing; the default ``'auto'`` picks 1 in a
terminal and 2 elsewhere.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from .optim import Adam

__all__ = ["fit"]


def fit(model, x, y, epochs=1, batch_size=100, optimizer=None, validation_data=None,
        seed=None, verbose="auto", shuffle=True) -> dict[str, list[float]]:
    """Train ``model`` on (x, y); returns the history dict (see the module docstring).

    x: (N, H, W, C) images, y: (N,) integer labels. optimizer: a :mod:`cnnlib.optim`
    optimiser (default ``Adam()``). validation_data: ``(x_val, y_val)``, evaluated
    after every epoch. seed: for the shuffling order.
    """
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y) or y.ndim != 1:
        raise ValueError(f"fit: y must have shape ({len(x)},) to match x of shape {x.shape}, "
                         f"got {y.shape}")
    if verbose == "auto":
        verbose = 1 if sys.stdout.isatty() else 2
    optimizer = optimizer or Adam()
    rng = np.random.default_rng(seed)
    history: dict[str, list[float]] = {"loss": [], "accuracy": []}
    if validation_data is not None:
        history.update(val_loss=[], val_accuracy=[])
    steps = -(-len(x) // batch_size)

    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
        total_loss = correct = seen = 0
        for step in range(steps):
            batch = order[step * batch_size : (step + 1) * batch_size]
            loss, logits = model.backprop(x[batch], y[batch])
            optimizer.step(model)
            total_loss += float(loss) * len(batch)
            correct += int(np.sum(logits.argmax(axis=1) == y[batch]))
            seen += len(batch)
            if verbose == 1:
                shown = _progress_bar(epoch, epochs, step + 1, steps, total_loss / seen,
                                      correct / seen)
        history["loss"].append(total_loss / seen)
        history["accuracy"].append(correct / seen)
        if validation_data is not None:
            val_loss, val_accuracy = model.evaluate(*validation_data)
            history["val_loss"].append(val_loss)
            history["val_accuracy"].append(val_accuracy)
        if verbose:
            scores = " - ".join(f"{key}: {values[-1]:.4f}" for key, values in history.items())
            line = f"Epoch {epoch}/{epochs} - {time.perf_counter() - start:.1f}s - {scores}"
            if verbose == 1:  # overwrite the progress bar, blanking what is left of it
                line = "\r" + line.ljust(shown)
            print(line, flush=True)
    return history


def _progress_bar(epoch, epochs, step, steps, loss, accuracy, width=20) -> int:
    """Redraw one line in place, ``Epoch 1/5 30/50 [=========>..........] - loss ...``;
    returns its length."""
    done = width * step // steps
    bar = "=" * max(done - 1, 0) + (">" if done else "") + "." * (width - done)
    line = (f"Epoch {epoch}/{epochs} {step:>{len(str(steps))}}/{steps} [{bar}] - "
            f"loss: {loss:.4f} - accuracy: {accuracy:.4f}")
    print("\r" + line, end="", flush=True)
    return len(line)
