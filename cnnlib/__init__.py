"""cnnlib — the helper library of the CNN course book.

One concept per module:

* :mod:`cnnlib.sizes`   — output sizes of convolution and pooling
* :mod:`cnnlib.params`  — parameter counts, and a summary that shows each formula
* :mod:`cnnlib.data`    — MNIST, Fashion-MNIST, checksummed, offline first (catalogue, sources, …)
* :mod:`cnnlib.ops`     — convolution and pooling in NumPy, equal to ``tf.nn`` (im2col)
* :mod:`cnnlib.layers`  — layers with ``forward``/``backward``, Keras's names and layout
* :mod:`cnnlib.gradcheck` — numeric gradients and CS231n's relative error
* :mod:`cnnlib.models`  — ``Sequential``, ``SimpleConvNet`` (and ``from_keras``), ``fuse``
* :mod:`cnnlib.optim`   — SGD, Momentum, Adam;  :mod:`cnnlib.train` — the training loop
* :mod:`cnnlib.check`   — checks for the exercises that tell a learner what is right
* :mod:`cnnlib.grading` — grade a folder of submitted student notebooks into a CSV
* :mod:`cnnlib.viz`     — every figure, called as ``viz.<function>``; one module per kind:
  ``viz.images`` (images, feature maps, kernels), ``viz.schematics`` (sliding windows,
  padding, pooling, receptive fields, pipelines, shapes), ``viz.connections`` (dense vs
  conv, weight sharing, shuffles), ``viz.training`` (learning curves, comparisons, bars),
  ``viz.diagnostics`` (confusion matrices, probabilities, saliency and occlusion
  overlays), ``viz.style`` (shared colours and layout, the Hangul font)
* :mod:`cnnlib.metrics` — confusion matrices, accuracy per class, most-confused pairs (no drawing)
* :mod:`cnnlib.explain` — what a trained network looks at: activations, saliency, occlusion
  (computed here, drawn by ``viz.diagnostics``)
* :mod:`cnnlib.keras_tools` — Keras helpers: ``plot_model`` with a clear message without graphviz
* :mod:`cnnlib.runtime` — run profiles (``CNNLIB_PROFILE``), seeds, the environment line
* :mod:`cnnlib.threads` — NumPy's BLAS on one thread while cnnlib's models compute
* :mod:`cnnlib.parallel` — ``DataParallel``: a batch split over the CPU's cores, gradients averaged
* :mod:`cnnlib.results` — the table of trained Keras models, chosen on validation accuracy
* :mod:`cnnlib.validate` — argument checks with messages that say what would fit
* :mod:`cnnlib.book`    — ``glue``: numbers from executed cells for the page's prose

Only ``sizes``, ``params``, ``runtime`` and ``book`` load with ``import cnnlib``;
import the others as ``from cnnlib import ops`` (TensorFlow is never needed to import them).
"""

__version__ = "0.1.0"

from .book import glue  # noqa: E402
from .runtime import about, budget, profile, run_seed, seed_everything  # noqa: E402

__all__ = ["__version__", "about", "budget", "glue", "profile", "run_seed", "seed_everything"]
