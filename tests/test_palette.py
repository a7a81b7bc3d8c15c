"""The site's stance colours stay apart for readers with a colour-vision deficiency.

Each colour is simulated under protanopia, deuteranopia and tritanopia (Machado, Oliveira and
Fernandes 2009, severity 1) and every pair must stay at least MIN_DELTA_E apart in CIELAB.
"""

import importlib.util
import itertools
import math

import pytest

from weapon_use_positions.models import Stance
from weapon_use_positions.paths import PLUGINS

MACHADO = {
    "none": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}
MIN_DELTA_E = 15


def vocabulary_plugin():
    spec = importlib.util.spec_from_file_location("site_vocabulary", PLUGINS / "site_vocabulary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def linear(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def lab(rgb):
    r, g, b = rgb
    x, y, z = (
        0.4124 * r + 0.3576 * g + 0.1805 * b,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        0.0193 * r + 0.1192 * g + 0.9505 * b,
    )

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x / 0.95047), f(y), f(z / 1.08883)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def simulated(hex_colour, matrix):
    rgb = linear(hex_colour)
    return [min(1.0, max(0.0, sum(matrix[i][j] * rgb[j] for j in range(3)))) for i in range(3)]


@pytest.mark.parametrize("vision", list(MACHADO))
def test_every_pair_of_stance_colours_stays_apart(vision):
    colours = vocabulary_plugin().STANCE_COLOURS
    assert set(colours) == set(Stance)
    labs = {stance: lab(simulated(colour, MACHADO[vision])) for stance, colour in colours.items()}
    for a, b in itertools.combinations(labs, 2):
        assert math.dist(labs[a], labs[b]) >= MIN_DELTA_E, (vision, a, b)


def test_the_old_palette_would_fail():
    """The test can fail: the palette of 1.0 put two stances too close under tritanopia."""
    old = {
        "permitted": "#1a9850",
        "limited": "#fdae61",
        "not_permitted": "#d73027",
        "no_public_position": "#9e9e9e",
        "unclear": "#c2a5cf",
    }
    labs = {k: lab(simulated(v, MACHADO["tritanopia"])) for k, v in old.items()}
    assert min(math.dist(labs[a], labs[b]) for a, b in itertools.combinations(labs, 2)) < MIN_DELTA_E


def test_text_on_every_stance_colour_is_readable():
    plugin = vocabulary_plugin()
    for stance in plugin.stances():
        assert stance["text"] in ("#ffffff", "#111111")
