"""Layers with forward and backward passes, in NumPy, named and shaped like Keras — and the
book's one vocabulary for describing a network.

A cnnlib layer both computes and describes itself (:mod:`cnnlib.layers.base` has the
protocol): ``forward``/``backward`` for the from-scratch chapter; ``compute_output_shape``,
``count_params``, ``params_formula``, ``macs`` and ``to_keras()`` for counting a network
on paper and building the equal Keras model. :func:`cnnlib.params.summary` gives the same
table for a list of cnnlib layers and for a Keras model.

Shapes are Keras's: images ``(N, H, W, C)``, kernels ``(FH, FW, C_in, C_out)``; so are
the argument names (``filters``, ``kernel_size``, ``strides``, ``padding``, ``pool_size``,
``units``, ``rate``, ``activation``, ``use_bias``), so ``Conv2D(32, 3, strides=2)`` copied
from Keras works unchanged. A layer never writes into ``dout`` and keeps the dtype it is
given (float32 stays float32). Input shapes are inferred at the first forward, or given up
front with ``input_shape=`` (without the batch axis, as in Keras).

Modules: ``base`` (the protocol), ``convolution`` (Conv2D), ``pooling`` (MaxPooling2D,
AveragePooling2D, GlobalAveragePooling2D), ``core`` (Dense, ReLU, Flatten, Dropout),
``normalization`` (BatchNormalization), ``preprocessing`` (RandomFlip,
RandomTranslation, RandomRotation: the identity at inference), ``activation`` (what
``activation=`` applies), ``losses`` (SoftmaxCrossEntropy), ``fused`` (ConvReLUPool:
Conv2D → ReLU → MaxPooling2D computed as one layer, for speed; :func:`cnnlib.models.fuse`).
"""

from .base import Layer, he_normal
from .convolution import Conv2D
from .core import Dense, Dropout, Flatten, ReLU
from .fused import ConvReLUPool
from .losses import SoftmaxCrossEntropy
from .normalization import BatchNormalization
from .pooling import AveragePooling2D, GlobalAveragePooling2D, MaxPooling2D
from .preprocessing import RandomFlip, RandomRotation, RandomTranslation

__all__ = [
    "Layer",
    "Conv2D",
    "MaxPooling2D",
    "AveragePooling2D",
    "GlobalAveragePooling2D",
    "ReLU",
    "Flatten",
    "Dense",
    "Dropout",
    "BatchNormalization",
    "RandomFlip",
    "RandomTranslation",
    "RandomRotation",
    "SoftmaxCrossEntropy",
    "ConvReLUPool",
    "he_normal",
]
