"""cnnlib — the helper library of the CNN course book.

One concept per module:

* :mod:`cnnlib.sizes`   — output sizes of convolution and pooling
* :mod:`cnnlib.params`  — parameter counts, and a summary that shows each formula
* :mod:`cnnlib.data`    — MNIST and Fashion-MNIST loaders, checksummed, offline first
* :mod:`cnnlib.check`   — checks for the exercises that tell a learner what is right
* :mod:`cnnlib.viz`     — figures: images, feature maps, kernels, learning curves
* :mod:`cnnlib.runtime` — run profiles (``CNNLIB_PROFILE``), seeds, the environment line
* :mod:`cnnlib.book`    — ``glue``: numbers from executed cells for the page's prose

Heavier modules (numpy layers, models, optimisers) are imported on demand.
"""

__version__ = "0.1.0"

from .book import glue  # noqa: E402
from .runtime import about, budget, profile, seed_everything  # noqa: E402

__all__ = ["__version__", "about", "budget", "glue", "profile", "seed_everything"]
