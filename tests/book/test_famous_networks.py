"""cnnlib.params.summary on the famous networks, built without downloading anything
(keras.applications with weights=None): totals equal Keras's count_params(), and
multiply-adds equal counts made independently of the summary's code."""

import pytest

keras = pytest.importorskip("keras")

from cnnlib import params  # noqa: E402


@pytest.fixture(scope="module")
def nets():
    return {name: getattr(keras.applications, name)(weights=None)
            for name in ("VGG16", "ResNet50", "MobileNetV2")}


@pytest.mark.parametrize("name, total", [("VGG16", 138_357_544), ("ResNet50", 25_636_712),
                                         ("MobileNetV2", 3_538_984)])
def test_totals_equal_keras(nets, name, total):
    s = params.summary(nets[name])
    assert s.total == nets[name].count_params() == total
    assert [r.params for r in s] == [layer.count_params() for layer in nets[name].layers]


def test_vgg16_macs_equal_the_paper_count(nets):
    # 13 convolutions of 3×3 ('same'), map side and channels per block, then 3 dense layers
    blocks = [(224, [3, 64, 64]), (112, [64, 128, 128]), (56, [128, 256, 256, 256]),
              (28, [256, 512, 512, 512]), (14, [512, 512, 512, 512])]
    conv = sum(side * side * 9 * c_in * c_out
               for side, chans in blocks for c_in, c_out in zip(chans, chans[1:]))
    dense = 7 * 7 * 512 * 4096 + 4096 * 4096 + 4096 * 1000
    assert params.summary(nets["VGG16"]).total_macs == conv + dense  # about 15.5 G


def test_resnet50_stem_walks_with_the_floor_rule(nets):
    from cnnlib import sizes

    rows = {r.name.split(" ")[0]: r for r in params.summary(nets["ResNet50"])}
    # ZeroPadding2D(3) then a 7×7 'valid' stride-2 conv: ⌊(224 + 6 − 7)/2⌋ + 1 = 112
    assert rows["conv1_conv"].output_shape[:2] == (sizes.conv_output_size(224, 7, 2, 3),) * 2
    # ZeroPadding2D(1) then 3×3 max pooling, stride 2: 112 -> 56
    assert rows["pool1_pool"].output_shape[:2] == (sizes.pool_output_size(112, 3, 2, 1),) * 2
    assert rows["conv1_conv"].macs == 112 * 112 * 7 * 7 * 3 * 64


def test_mobilenet_depthwise_rows(nets):
    s = params.summary(nets["MobileNetV2"])
    row = next(r for r in s if r.name.startswith("expanded_conv_depthwise "))
    assert row.output_shape == (112, 112, 32)
    assert row.params == 3 * 3 * 32 and row.macs == 112 * 112 * 3 * 3 * 32
    assert "one kernel per channel" in row.formula
