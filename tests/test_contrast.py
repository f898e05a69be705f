"""The kategori badges are white text on a colour: each must reach WCAG AA's 4,5:1 (issue #20:
"Tinggi" was 4,14:1 and "Rendah" 4,29:1)."""

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[1] / "static" / "kinerja.css"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(hex_colour: str) -> float:
    return (1.05) / (_luminance(hex_colour) + 0.05)


def test_every_kategori_badge_reaches_4_5_to_1_against_its_white_text():
    badges = dict(
        re.findall(r"\.kategori-([a-z-]+) \{ background:(#[0-9a-f]{6}); \}", CSS.read_text())
    )
    assert set(badges) == {"sangat-tinggi", "tinggi", "sedang", "rendah", "sangat-rendah"}
    low = {name: round(contrast_with_white(c), 2) for name, c in badges.items()}
    assert {n: r for n, r in low.items() if r < 4.5} == {}
