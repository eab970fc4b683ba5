"""Models: a stack of layers that predicts, measures its loss and backpropagates.

* :class:`Sequential` — any list of :mod:`cnnlib.layers`, ending in logits;
  the loss is softmax cross-entropy.
* :class:`SimpleConvNet` — *Deep Learning from Scratch*'s network:
  conv (30 5×5) → ReLU → max-pool 2 → dense 100 → ReLU → dense 10 → softmax.
* :func:`keras_simple_convnet` — the same network in Keras, so that the two can
  be compared number for number (:meth:`SimpleConvNet.from_keras`).
* :func:`fuse` — the same model, its Conv2D → ReLU → MaxPooling2D blocks computed as one
  layer each (:class:`~cnnlib.layers.ConvReLUPool`): equal outputs and gradients, faster.

Parameters and gradients are flat dicts keyed like Keras's weight paths,
``'conv2d/kernel'``, ``'dense_1/bias'``.
"""

from __future__ import annotations

import numpy as np

from .layers import (
    Conv2D,
    ConvReLUPool,
    Dense,
    Flatten,
    Layer,
    MaxPooling2D,
    ReLU,
    SoftmaxCrossEntropy,
)
from .threads import limited

__all__ = ["Sequential", "SimpleConvNet", "keras_simple_convnet", "fuse", "softmax"]


def softmax(logits) -> np.ndarray:
    """logits: (N, classes) -> probabilities (N, classes), each row summing to 1."""
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class Sequential:
    """Layers applied in order; the last one gives logits (N, classes).

    layers: a list of layers; a final :class:`~cnnlib.layers.SoftmaxCrossEntropy`
    is taken as the loss (one is added if missing). input_shape: (H, W, C), to
    create the parameters now instead of at the first forward. Inputs are cast
    to ``dtype`` (float32), so the whole model computes in it.
    """

    def __init__(self, layers, input_shape=None, dtype="float32"):
        layers = list(layers)
        if not layers or not all(isinstance(layer, Layer) for layer in layers):
            raise ValueError(f"Sequential: layers must be a non-empty list of cnnlib layers, "
                             f"got {layers!r}")
        self.loss_layer = layers.pop() if isinstance(layers[-1], SoftmaxCrossEntropy) \
            else SoftmaxCrossEntropy()
        if getattr(layers[-1], "activation", None) == "softmax":
            raise ValueError(f"Sequential: the last layer {layers[-1].name!r} applies a softmax, "
                             "and so does the loss (SoftmaxCrossEntropy): give it "
                             "activation=None, the model's output is the logits")
        self.layers, self.dtype = layers, np.dtype(dtype)
        seen = {}
        for layer in layers:  # unique names, as Keras: dense, dense_1, dense_2
            count = seen.get(layer.name, 0)
            seen[layer.name] = count + 1
            if count:
                layer.name = f"{layer.name}_{count}"
        if input_shape is not None:
            self.build(input_shape)

    def build(self, input_shape):
        """Create every layer's parameters by passing one blank example through."""
        self.input_shape = tuple(input_shape)
        self.forward(np.zeros((1, *self.input_shape), dtype=self.dtype))

    # ----------------------------------------------------------------- forward

    @limited  # NumPy's BLAS on one thread while the model computes (cnnlib.threads)
    def forward(self, x, training=False) -> np.ndarray:
        """x: (N, H, W, C) -> logits (N, classes)."""
        x = np.asarray(x, dtype=self.dtype)
        for layer in self.layers:
            x = layer.forward(x, training=training)
        return x

    def predict(self, x, batch_size=256) -> np.ndarray:
        """Class probabilities (N, classes), computed batch_size images at a time."""
        x = np.asarray(x)
        return np.concatenate([softmax(self.forward(x[i : i + batch_size]))
                               for i in range(0, max(len(x), 1), batch_size)])

    def loss(self, x, y) -> float:
        """Mean cross-entropy on (x, y), without dropout; y: (N,) integer labels."""
        return self.loss_layer.forward(self.forward(x), y)

    def evaluate(self, x, y, batch_size=256) -> tuple[float, float]:
        """(mean loss, accuracy) on (x, y), batch_size images at a time."""
        x, y = np.asarray(x), np.asarray(y)
        if len(x) != len(y):
            raise ValueError(f"evaluate: x of shape {x.shape} and y of shape {y.shape} must "
                             "have the same number of examples")
        total_loss = correct = 0.0
        for i in range(0, len(x), batch_size):
            logits = self.forward(x[i : i + batch_size])
            total_loss += float(self.loss_layer.forward(logits, y[i : i + batch_size])) * len(logits)
            correct += np.sum(logits.argmax(axis=1) == y[i : i + batch_size])
        return total_loss / len(x), float(correct) / len(x)

    def accuracy(self, x, y, batch_size=256) -> float:
        """The fraction of (x, y) classified correctly."""
        return self.evaluate(x, y, batch_size)[1]

    # ---------------------------------------------------------------- backward

    @limited
    def backprop(self, x, y) -> tuple[float, np.ndarray]:
        """One forward (training mode) and backward pass on a batch.

        Fills every layer's ``grads`` and returns ``(loss, logits)``. The pass stops
        at the first layer with parameters: the gradient for the input images is
        never used, so it is never computed.
        """
        logits = self.forward(x, training=True)
        loss = self.loss_layer.forward(logits, y)
        dout = self.loss_layer.backward()
        first = next((i for i, layer in enumerate(self.layers) if layer.params), 0)
        for i in range(len(self.layers) - 1, first, -1):
            dout = self.layers[i].backward(dout)
        if self.layers[first].params:
            self.layers[first].backward(dout, input_grad=False)
        return loss, logits

    def gradient(self, x, y) -> dict[str, np.ndarray]:
        """Backpropagation on (x, y): ``{'conv2d/kernel': dL/dkernel, ...}``."""
        self.backprop(x, y)
        return self.grads

    @property
    def params(self) -> dict[str, np.ndarray]:
        """Every parameter, ``{'conv2d/kernel': array, ...}`` (the arrays themselves)."""
        return {f"{layer.name}/{key}": value
                for layer in self.layers for key, value in layer.params.items()}

    @property
    def grads(self) -> dict[str, np.ndarray]:
        """The gradients of the last :meth:`gradient`, keyed like :attr:`params`."""
        return {f"{layer.name}/{key}": value
                for layer in self.layers for key, value in layer.grads.items()}

    # ------------------------------------------------------------------ saving

    def save_weights(self, path) -> None:
        """Save the parameters to an ``.npz`` file, one array per key of :attr:`params`."""
        np.savez(path, **self.params)

    def load_weights(self, path) -> None:
        """Load parameters saved by :meth:`save_weights` (no pickles: arrays only)."""
        params = self.params
        with np.load(path, allow_pickle=False) as saved:
            if set(saved.files) != set(params):
                raise ValueError(f"load_weights: {path} holds {sorted(saved.files)}, but the "
                                 f"model has {sorted(params)}")
            for key, param in params.items():
                if saved[key].shape != param.shape:
                    raise ValueError(f"load_weights: {key} in {path} has shape "
                                     f"{saved[key].shape}, the model's has {param.shape}")
            for key, param in params.items():
                np.copyto(param, saved[key], casting="same_kind")

    # ---------------------------------------------------------------- describing

    def summary(self, input_shape=None):
        """The :func:`cnnlib.params.summary` table of the layers (loss excluded), on
        ``input_shape`` (H, W, C) or the shape the model was built for."""
        from .params import summary

        return summary(self.layers, self._shape(input_shape, "summary"))

    def to_keras(self, input_shape=None, name=None):
        """The equal (uncompiled) Keras model, layer for layer and name for name, holding
        this model's weights if it has any. The loss stays out: compile it with
        ``SparseCategoricalCrossentropy(from_logits=True)``."""
        import keras

        shape = self._shape(input_shape, "to_keras")
        model = keras.Sequential([keras.Input(shape), *[layer.to_keras() for layer in self.layers]],
                                 name=name or type(self).__name__.lower())
        for mine, theirs in zip(self.layers, model.layers):
            if mine.get_weights():  # BatchNormalization's moving statistics too
                theirs.set_weights(mine.get_weights())
        return model

    def _shape(self, input_shape, func):
        shape = input_shape if input_shape is not None else getattr(self, "input_shape", None)
        if shape is None:
            raise ValueError(f"{func}: give input_shape (H, W, C); the model was built without it")
        return tuple(shape)

    def __repr__(self):
        return f"{type(self).__name__}([{', '.join(layer.name for layer in self.layers)}])"


class SimpleConvNet(Sequential):
    """Deep Learning from Scratch's CNN, He-initialised, in Keras's layout.

    Conv2D(filters, kernel_size) → ReLU → MaxPooling2D(2) → Flatten → Dense(hidden)
    → ReLU → Dense(classes), with softmax cross-entropy. x: (N, 28, 28, 1) by
    default. seed: an int (or a numpy Generator) for reproducible weights.
    """

    def __init__(self, input_shape=(28, 28, 1), filters=30, kernel_size=5, hidden=100,
                 classes=10, seed=None, dtype="float32"):
        rng = np.random.default_rng(seed)
        layers = [
            Conv2D(filters, kernel_size, seed=rng, dtype=dtype),
            ReLU(),
            MaxPooling2D(2),
            Flatten(),
            Dense(hidden, seed=rng, dtype=dtype),
            ReLU(),
            Dense(classes, seed=rng, dtype=dtype),
        ]
        super().__init__(layers, input_shape=input_shape, dtype=dtype)

    @classmethod
    def from_keras(cls, model, dtype="float32") -> SimpleConvNet:
        """A SimpleConvNet holding the weights of a Keras model of the same architecture.

        model: Conv2D(F, K, activation='relu') → MaxPooling2D(2) → Flatten →
        Dense(H, activation='relu') → Dense(C, activation='softmax'), as
        :func:`keras_simple_convnet` builds; both then give the same probabilities.
        """
        kinds = [type(layer).__name__ for layer in model.layers]
        expected = ["Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense"]
        if kinds != expected:
            raise ValueError(f"from_keras: expected Keras layers {expected}, got {kinds}")
        conv, pool, _, hidden, out = model.layers
        settings = [
            ("Conv2D activation", conv.activation.__name__, "relu"),
            ("Conv2D strides", tuple(conv.strides), (1, 1)),
            ("Conv2D padding", conv.padding, "valid"),
            ("MaxPooling2D pool_size", tuple(pool.pool_size), (2, 2)),
            ("MaxPooling2D strides", tuple(pool.strides), (2, 2)),
            ("MaxPooling2D padding", pool.padding, "valid"),
            ("first Dense activation", hidden.activation.__name__, "relu"),
            ("last Dense activation", out.activation.__name__, "softmax"),
        ]
        for what, got, want in settings:
            if got != want:
                raise ValueError(f"from_keras: {what} must be {want!r}, got {got!r}")
        kernel = conv.get_weights()[0]
        net = cls(input_shape=tuple(model.input_shape[1:]), filters=kernel.shape[3],
                  kernel_size=kernel.shape[:2], hidden=hidden.units, classes=out.units,
                  dtype=dtype)
        for mine, theirs in zip([net.layers[0], net.layers[4], net.layers[6]], [conv, hidden, out]):
            mine.set_weights(theirs.get_weights())
        return net


def keras_simple_convnet(input_shape=(28, 28, 1), filters=30, kernel_size=5, hidden=100,
                         classes=10, seed=None):
    """The same network in Keras (uncompiled), He-initialised:
    Conv2D(filters, kernel_size, relu) → MaxPooling2D(2) → Flatten → Dense(hidden, relu)
    → Dense(classes, softmax). Needs TensorFlow (imported only when called).
    """
    import keras  # lazy: cnnlib itself needs only numpy and matplotlib

    def he(i):  # He initialisation, seeded per layer when a seed is given
        return keras.initializers.HeNormal(seed=None if seed is None else seed + i)

    return keras.Sequential([
        keras.Input(shape=tuple(input_shape)),
        keras.layers.Conv2D(filters, kernel_size, activation="relu", kernel_initializer=he(0)),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(hidden, activation="relu", kernel_initializer=he(1)),
        keras.layers.Dense(classes, activation="softmax", kernel_initializer=he(2)),
    ], name="simple_convnet")


def fuse(model) -> Sequential:
    """The same model with each Conv2D → ReLU → MaxPooling2D block as one ConvReLUPool.

    A block is a Conv2D without activation, a ReLU and a max pooling whose windows tile the
    map, or a Conv2D(activation='relu') and such a pooling. The new model shares every
    parameter array (and every other layer) with ``model``: train either, both change. It
    computes the same outputs and gradients, faster (``benchmarks/bench_simpleconvnet.py``).
    """
    layers, i, fused = [], 0, 0
    old = model.layers
    while i < len(old):
        layer = old[i]
        # Conv2D → ReLU → MaxPooling2D, or Conv2D(activation='relu') → MaxPooling2D
        relu_layer = getattr(layer, "activation", "") is None and i + 1 < len(old) \
            and isinstance(old[i + 1], ReLU)
        j = i + (2 if relu_layer else 1)  # where the pooling would be
        if j < len(old) and (relu_layer or getattr(layer, "activation", "") == "relu") \
                and ConvReLUPool.refuses(layer, old[j]) is None:
            layers.append(ConvReLUPool(layer, old[j]))
            i, fused = j + 1, fused + 1
        else:
            layers.append(layer)
            i += 1
    if not fused:
        raise ValueError("fuse: the model has no Conv2D → ReLU → MaxPooling2D block (with "
                         "pooling windows that tile the map) to fuse; its layers are "
                         f"{[type(layer).__name__ for layer in old]}")
    out = Sequential([*layers, model.loss_layer], dtype=model.dtype)
    if hasattr(model, "input_shape"):
        out.input_shape = model.input_shape
    return out
