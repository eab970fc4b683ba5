"""cnnlib.explain: occlusion on models whose answer is known, saliency against finite
differences, activations against the layers themselves, and errors on bad input.
(The figures of these are tested in test_viz_diagnostics.py.)"""

import numpy as np
import pytest

from cnnlib import explain


def one_pixel_predict(r0=2, c0=3):
    """Two classes; p(class 0) = the value of pixel (r0, c0) (clipped to [0, 1])."""

    def predict(batch):
        p0 = np.clip(batch[:, r0, c0, 0], 0, 1)
        return np.stack([p0, 1 - p0], axis=1)

    return predict


# --- occlusion -----------------------------------------------------------------------------


def test_occlusion_finds_the_one_pixel_that_matters():
    image = np.zeros((8, 8), np.float32)
    image[2, 3] = 1.0
    heat = explain.occlusion(one_pixel_predict(), image, label=0, patch=1, strides=1, fill=0.0)
    expected = np.zeros((8, 8))
    expected[2, 3] = 1.0
    np.testing.assert_allclose(heat, expected)


def test_occlusion_averages_the_patches_that_cover_a_pixel():
    image = np.ones((6, 6, 1), np.float32)
    # patch 2, stride 2: every pixel under exactly one patch; the patch over (2, 3) drops p by 1
    heat = explain.occlusion(one_pixel_predict(), image, label=0, patch=2, strides=2, fill=0.0)
    expected = np.zeros((6, 6))
    expected[2:4, 2:4] = 1.0
    np.testing.assert_allclose(heat, expected)
    # patch 3, stride 1: pixel (r, c) is covered by the patches starting in r-2..r, c-2..c
    heat = explain.occlusion(one_pixel_predict(), image, label=0, patch=3, strides=1, fill=0.0)
    covering = {(r, c): 0 for r in range(4) for c in range(4)}
    hits = np.zeros((6, 6))
    count = np.zeros((6, 6))
    for r, c in covering:
        hit = r <= 2 < r + 3 and c <= 3 < c + 3
        hits[r:r + 3, c:c + 3] += hit
        count[r:r + 3, c:c + 3] += 1
    np.testing.assert_allclose(heat, hits / count)


def test_occlusion_reaches_the_border_when_the_stride_does_not_fit():
    image = np.ones((7, 7), np.float32)
    heat = explain.occlusion(one_pixel_predict(6, 6), image, label=0, patch=2, strides=2,
                             fill=0.0)
    assert heat[6, 6] == pytest.approx(1.0)
    assert heat.shape == (7, 7)


def test_occlusion_of_the_other_class_is_a_rise():
    image = np.ones((4, 4), np.float32)
    heat = explain.occlusion(one_pixel_predict(0, 0), image, label=1, patch=1, strides=1, fill=0.0)
    assert heat[0, 0] == pytest.approx(-1.0)
    assert np.count_nonzero(heat) == 1


def test_occlusion_on_a_keras_model_with_hand_set_weights():
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((5, 5, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax")])
    w = np.zeros((25, 2), np.float32)
    w[1 * 5 + 4, 0] = 10.0  # class 0 looks only at pixel (1, 4)
    model.layers[-1].set_weights([w, np.zeros(2, np.float32)])
    image = np.zeros((5, 5), np.float32)
    image[1, 4] = 1.0
    heat = explain.occlusion(lambda b: model.predict(b, verbose=0), image, label=0,
                             patch=1, strides=1, fill=0.0)
    assert np.unravel_index(np.argmax(heat), heat.shape) == (1, 4)
    expected_drop = 1 / (1 + np.exp(-10)) - 0.5
    assert heat[1, 4] == pytest.approx(expected_drop, rel=1e-5)
    assert np.abs(np.delete(heat.ravel(), 1 * 5 + 4)).max() < 1e-6


@pytest.mark.parametrize("kwargs, match", [
    ({"patch": 0}, "occlusion: patch must be at least 1, got 0"),
    ({"strides": 1.5}, "occlusion: strides must be a whole number >= 1, got 1.5"),
    ({"patch": 9}, "patch 9 is larger than the image 8×8"),
    ({"label": 2}, r"label must be in 0..1, got 2"),
    ({"label": -1}, r"label must not be negative, got -1"),
    ({"batch_size": 0}, "batch_size must be at least 1"),
])
def test_occlusion_bad_arguments(kwargs, match):
    args = {"predict": one_pixel_predict(), "image": np.zeros((8, 8)), "label": 0, **kwargs}
    with pytest.raises(ValueError, match=match):
        explain.occlusion(**args)


def test_occlusion_bad_image_and_predict():
    with pytest.raises(ValueError, match=r"image must be one image .* got shape \(2, 8, 8, 1\)"):
        explain.occlusion(one_pixel_predict(), np.zeros((2, 8, 8, 1)), 0)
    with pytest.raises(ValueError, match="predict must be a function"):
        explain.occlusion("model", np.zeros((8, 8)), 0)


# --- saliency ------------------------------------------------------------------------------


def test_gradient_matches_finite_differences(tiny_cnn):
    rng = np.random.default_rng(0)
    image = rng.uniform(size=(6, 6, 2)).astype(np.float64)
    k, eps = 2, 1e-3

    def p(x):
        return float(tiny_cnn(x[None].astype(np.float32), training=False)[0, k])

    numeric = np.zeros_like(image)
    for idx in np.ndindex(image.shape):
        up, down = image.copy(), image.copy()
        up[idx] += eps
        down[idx] -= eps
        numeric[idx] = (p(up) - p(down)) / (2 * eps)
    grad = explain.gradient(tiny_cnn, image, class_index=k)
    assert grad.shape == (6, 6, 2)
    np.testing.assert_allclose(grad, numeric, atol=2e-4)


def test_saliency_is_the_largest_absolute_gradient_over_channels(tiny_cnn):
    image = np.random.default_rng(1).uniform(size=(6, 6, 2)).astype(np.float32)
    grad = explain.gradient(tiny_cnn, image, class_index=1)
    sal = explain.saliency(tiny_cnn, image, class_index=1)
    np.testing.assert_allclose(sal, np.abs(grad).max(axis=-1))
    assert sal.shape == (6, 6) and (sal >= 0).all()


def test_saliency_defaults_to_the_predicted_class(tiny_cnn):
    image = np.random.default_rng(2).uniform(size=(6, 6, 2)).astype(np.float32)
    predicted = int(np.argmax(tiny_cnn(image[None])[0]))
    np.testing.assert_allclose(explain.saliency(tiny_cnn, image),
                               explain.saliency(tiny_cnn, image, predicted))


def test_saliency_bad_input(tiny_cnn):
    with pytest.raises(ValueError, match=r"class_index must be in 0..3, got 4"):
        explain.saliency(tiny_cnn, np.zeros((6, 6, 2)), class_index=4)
    with pytest.raises(ValueError, match=r"image must be one image"):
        explain.saliency(tiny_cnn, np.zeros((6,)))
    with pytest.raises(ValueError, match="model must be a Keras model"):
        explain.saliency(np.zeros(3), np.zeros((6, 6, 2)))


# --- activations ---------------------------------------------------------------------------


def test_activations_are_the_layers_outputs(tiny_cnn):
    image = np.random.default_rng(3).uniform(size=(6, 6, 2)).astype(np.float32)
    acts = explain.activations(tiny_cnn, image)
    assert list(acts) == [layer.name for layer in tiny_cnn.layers]
    conv = tiny_cnn.layers[0]
    np.testing.assert_allclose(acts[conv.name], np.asarray(conv(image[None]))[0], atol=1e-6)
    np.testing.assert_allclose(acts[tiny_cnn.layers[-1].name],
                               np.asarray(tiny_cnn(image[None]))[0], atol=1e-6)
    only = explain.activations(tiny_cnn, image, layers=conv.name)
    assert list(only) == [conv.name] and only[conv.name].shape == (4, 4, 3)


def test_activations_bad_input(tiny_cnn):
    with pytest.raises(ValueError, match="no layer named 'conv9'"):
        explain.activations(tiny_cnn, np.zeros((6, 6, 2)), layers=["conv9"])
    with pytest.raises(ValueError, match=r"takes images of shape \(6, 6, 2\), got \(5, 5, 2\)"):
        explain.activations(tiny_cnn, np.zeros((5, 5, 2)))
