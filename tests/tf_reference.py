"""TensorFlow references shared by the tests of cnnlib.ops and cnnlib.layers."""

import tensorflow as tf


def tf_padding(padding):
    """TensorFlow's padding argument for conv2d; an int P becomes explicit zeros."""
    if isinstance(padding, str):
        return padding.upper()
    return [[0, 0], [padding, padding], [padding, padding], [0, 0]]


def tf_pool(fn, x, window, stride, padding):
    """tf.nn pooling (stride None = window); an int padding is zeros added by tf.pad."""
    if isinstance(padding, int):
        x = tf.pad(x, [[0, 0], [padding, padding], [padding, padding], [0, 0]])
        padding = "VALID"
    return fn(x, window, stride or window, padding.upper())
