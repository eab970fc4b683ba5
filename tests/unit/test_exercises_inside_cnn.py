"""The checkers of "Inside a CNN": the right answer passes, each classic wrong answer is
named, the library's own function is rejected.

Stubs, hints and ids, the same for every chapter: test_exercises_every.py."""

import numpy as np
import pytest
from exercise_common import assert_fails, verdict

from cnnlib import explain
from cnnlib.exercises import inside_cnn

# ---------------------------------------------------------------- 1. layer_outputs


def make_layer_outputs(training=False, batch_axis=False):
    def layer_outputs(model, image, names):
        import keras
        probe = keras.Model(model.inputs[0], [model.get_layer(n).output for n in names])
        outs = probe(image[None], training=training)
        outs = outs if isinstance(outs, (list, tuple)) else [outs]
        return {n: np.asarray(o) if batch_axis else np.asarray(o)[0] for n, o in zip(names, outs)}
    return layer_outputs


def test_layer_outputs_right_passes_and_cnnlib_rejected():
    assert verdict("inside_cnn-1", make_layer_outputs()).passed
    assert_fails("inside_cnn-1", explain.activations, "write it yourself")


@pytest.mark.parametrize("kwargs, words", [({"training": True}, "inference mode"),
                                           ({"batch_axis": True}, "batch axis")])
def test_layer_outputs_wrong_answers_are_named(kwargs, words):
    assert_fails("inside_cnn-1", make_layer_outputs(**kwargs), words)


def test_layer_outputs_wrong_keys_are_named():
    assert_fails("inside_cnn-1", lambda m, x, names: {"c1": 0}, "exactly those names")


# ---------------------------------------------------------------- 2. occlusion_grid


def make_grid(mode="copy", sign=1):
    def occlusion_grid(predict, image, label, patch, strides, fill=0.5):
        h, w = image.shape[:2]
        base = predict(image[None])[0, label]
        grid = np.zeros(((h - patch) // strides + 1, (w - patch) // strides + 1))
        covered = image.copy()
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                if mode != "accumulate":
                    covered = image.copy()
                rows, cols = slice(i * strides, i * strides + patch), slice(j * strides, j * strides + patch)
                if mode == "first channel":
                    covered[rows, cols, 0] = fill
                else:
                    covered[rows, cols] = fill
                grid[i, j] = sign * (base - predict(covered[None])[0, label])
        return grid
    return occlusion_grid


def test_occlusion_right_passes_and_cnnlib_rejected():
    assert verdict("inside_cnn-2", make_grid()).passed
    assert_fails("inside_cnn-2", explain.occlusion, "write it yourself")


@pytest.mark.parametrize("kwargs, words", [({"sign": -1}, "sign is flipped"),
                                           ({"mode": "accumulate"}, "accumulate"),
                                           ({"mode": "first channel"}, "every channel")])
def test_occlusion_wrong_answers_are_named(kwargs, words):
    assert_fails("inside_cnn-2", make_grid(**kwargs), words)


# ---------------------------------------------------------------- 3. saliency_map


def make_saliency(kind="right"):
    def saliency_map(model, image, class_index):
        import tensorflow as tf
        x = tf.convert_to_tensor(image[None], dtype=tf.float32)
        with tf.GradientTape() as tape:
            tape.watch(x)
            p = model(x)[0, class_index]
        g = tape.gradient(p, x).numpy()[0]
        return {"right": np.abs(g).max(axis=-1), "signed": g.max(axis=-1),
                "sum": np.abs(g).sum(axis=-1), "first": np.abs(g[..., 0]),
                "channels": np.abs(g)}[kind]
    return saliency_map


def test_saliency_right_passes_and_cnnlib_rejected():
    assert verdict("inside_cnn-3", make_saliency()).passed
    assert_fails("inside_cnn-3", explain.saliency, "write it yourself")


@pytest.mark.parametrize("kind, words", [("signed", "absolute"), ("sum", "add the channels"),
                                         ("first", "first channel"), ("channels", "(H, W) map")])
def test_saliency_wrong_answers_are_named(kind, words):
    assert_fails("inside_cnn-3", make_saliency(kind), words)


# ---------------------------------------------------------------- 4. GAP and the shift test


@pytest.fixture(scope="module")
def models():
    import keras
    from keras import layers

    from cnnlib import data

    (x, y), _ = data.load_mnist()
    x, y = data.prepare(x[:600]), y[:600]

    def net(head):
        keras.utils.set_random_seed(0)
        m = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 5, activation="relu"),
                              layers.MaxPooling2D(2), head, layers.Dense(10, activation="softmax")])
        m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", jit_compile=False)
        m.fit(x, y, epochs=1, batch_size=64, verbose=0)
        return m

    return net(layers.Flatten()), net(layers.GlobalAveragePooling2D())


def gap_answer(models, **changes):
    flat, gap = models
    acc = {"flatten": inside_cnn.shift_accuracies(flat), "gap": inside_cnn.shift_accuracies(gap)}
    drop = {k: v[0] - v[-1] for k, v in acc.items()}
    answer = {"flatten": flat, "gap": gap, "flatten accuracy": acc["flatten"],
              "gap accuracy": acc["gap"], "more robust": min(drop, key=drop.get)}
    answer.update(changes)
    return answer


def test_gap_right_answer_passes(models):
    assert verdict("inside_cnn-4", gap_answer(models)).passed


def test_gap_wrong_answers_are_named(models):
    flat, gap = models
    right = gap_answer(models)
    other = "flatten" if right["more robust"] == "gap" else "gap"
    result = verdict("inside_cnn-4", gap_answer(models, **{"more robust": other}))
    assert result.status == "fail" and "more robust" in result.message
    assert_fails("inside_cnn-4", gap_answer(models, gap=flat), "GlobalAveragePooling2D")
    assert_fails("inside_cnn-4", gap_answer(models, flatten=gap), "no Flatten layer")
    made_up = [a + 0.05 for a in right["gap accuracy"]]
    assert_fails("inside_cnn-4", gap_answer(models, **{"gap accuracy": made_up}),
                 "not what the check measures")
    assert_fails("inside_cnn-4", gap_answer(models, **{"gap accuracy": [0.9]}), "one per shift")
    assert_fails("inside_cnn-4", {"gap": gap}, "should be a dict")


def test_gap_robustness_is_not_unshifted_accuracy(models, monkeypatch):
    fake = {"Flatten": [0.9, 0.8, 0.6, 0.4, 0.3], "GlobalAveragePooling2D": [0.7, 0.7, 0.69, 0.68, 0.66]}

    def measured(model, x=None, y=None):
        return fake["Flatten" if "Flatten" in inside_cnn._kinds(model) else "GlobalAveragePooling2D"]

    monkeypatch.setattr(inside_cnn, "shift_accuracies", measured)
    answer = {"flatten": models[0], "gap": models[1], "flatten accuracy": fake["Flatten"],
              "gap accuracy": fake["GlobalAveragePooling2D"], "more robust": "gap"}
    assert verdict("inside_cnn-4", answer).passed
    assert_fails("inside_cnn-4", {**answer, "more robust": "flatten"}, "unshifted digits")


# ---------------------------------------------------------------- more wrong answers


def test_gap_more_wrong_answers_are_named(models):
    import keras
    from keras import layers

    flat, gap = models
    assert_fails("inside_cnn-4", gap_answer(models, gap="gap_model"), "trained Keras model")
    assert_fails("inside_cnn-4", gap_answer(models, **{"more robust": "both"}), '"flatten" or "gap"')
    wider = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 5), layers.Conv2D(8, 3),
                              layers.GlobalAveragePooling2D(), layers.Dense(10, activation="softmax")])
    assert_fails("inside_cnn-4", gap_answer(models, gap=wider), "same convolutions")
