"""Data parallelism: one batch split over the CPU's cores, each part backpropagated by its own
copy of the model, the gradients averaged — what ``tf.distribute.MirroredStrategy`` does with
GPUs, here with threads on a CPU.

The loss of a batch is the mean of its examples' losses, so its gradient is the mean of theirs:
split the batch into parts of sizes n₁ … n_k, and the batch's gradient is
Σ (n_i / N) · (the gradient of part i). Each part is backpropagated by a **replica**: a copy of
every layer that shares the model's parameter arrays but keeps its own forward caches and
gradients. NumPy releases Python's global interpreter lock inside its compiled loops and
matrix products, so the replicas' threads really do run on separate cores.

The result equals :meth:`cnnlib.models.Sequential.backprop` on the whole batch up to float32
rounding (the sums are added in another order). Batch normalization is the exception: each
replica would normalise with its own part's statistics, so :class:`DataParallel` refuses it.
Each replica's dropout draws from its own generator.
"""

from __future__ import annotations

import copy
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import threads

__all__ = ["DataParallel"]


class DataParallel:
    """Backpropagate ``model`` with ``workers`` threads, each on a part of the batch.

    ``DataParallel(model).backprop(x, y)`` fills ``model``'s gradients as
    ``model.backprop(x, y)`` does and returns the same ``(loss, logits)``; an optimiser's
    ``step`` takes either. workers: default the number of CPU cores (at most 8). Every
    thread computes with one BLAS thread.
    """

    def __init__(self, model, workers=None):
        from .layers import BatchNormalization, Dropout

        if workers is None:
            workers = min(os.cpu_count() or 1, 8)
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"DataParallel: workers must be a whole number >= 1, got {workers!r}")
        for layer in model.layers:
            if isinstance(layer, BatchNormalization):
                raise ValueError(
                    f"DataParallel: {layer.name} is a BatchNormalization, which normalises with "
                    "the statistics of the whole batch; split over workers each part would use "
                    "its own. Train this model with model.backprop instead.")
        if not model.params:
            raise ValueError("DataParallel: the model has no parameters yet, so its copies "
                             "could not share them; build it first (give the model input_shape, "
                             "or run one forward pass)")
        self.model, self.workers = model, workers
        shared = {id(p): p for p in model.params.values()}  # copied by reference, not by value
        self.replicas = [copy.deepcopy(model, memo=dict(shared)) for _ in range(workers)]
        for i, replica in enumerate(self.replicas):
            for layer in replica.layers:  # each replica's dropout its own random stream
                if isinstance(layer, Dropout):
                    layer.rng = np.random.default_rng([i, int(layer.rng.integers(2**63))])
        # the calling thread computes the first part itself, the pool the others
        self._pool = ThreadPoolExecutor(max(workers - 1, 1), thread_name_prefix="cnnlib-worker")

    def backprop(self, x, y):
        """``model.backprop(x, y)``, the batch split into ``workers`` parts of equal size."""
        x, y = np.asarray(x), np.asarray(y)
        if len(x) != len(y):
            raise ValueError(f"DataParallel.backprop: x of shape {x.shape} and y of shape "
                             f"{y.shape} must have the same number of examples")
        bounds = np.linspace(0, len(x), min(self.workers, len(x)) + 1).round().astype(int)
        parts = [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]
        shares = [(part.stop - part.start) / len(x) for part in parts]
        busy = self.replicas[: len(parts)]  # a batch smaller than workers leaves some idle

        def run(replica, part, share):
            with threads.already_limited():  # the calling thread has limited BLAS for all
                result = replica.backprop(x[part], y[part])
            weight = np.asarray(share, dtype=self.model.dtype)
            for layer in replica.layers:  # weighted here, in parallel: fresh arrays each pass
                for grad in layer.grads.values():
                    grad *= weight
            return result

        with threads.blas_threads(1):  # the first part on this thread, the others beside it
            others = [self._pool.submit(run, *task) for task in zip(busy[1:], parts[1:],
                                                                    shares[1:])]
            results = [run(busy[0], parts[0], shares[0])] + [f.result() for f in others]
        for i, layer in enumerate(self.model.layers):
            for key, total in busy[0].layers[i].grads.items():
                for replica in busy[1:]:
                    np.add(total, replica.layers[i].grads[key], out=total)
                layer.grads[key] = total
        loss = sum(share * float(r[0]) for share, r in zip(shares, results))
        return loss, np.concatenate([r[1] for r in results])

    @property
    def params(self):
        return self.model.params

    @property
    def grads(self):
        return self.model.grads

    def close(self):
        """Stop the worker threads."""
        self._pool.shutdown()

    def __repr__(self):
        return f"DataParallel({self.model!r}, workers={self.workers})"
