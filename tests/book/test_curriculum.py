"""Every number the book must show (the worked examples of its source notes) appears in an executed output.

Prose numbers are glued from cells, so looking at the code cells' stored outputs
(text, HTML tables and glued values) is enough: a number only in hand-typed prose
would not count.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# (chapter, number) — §3 padding and stride, §4 parameters and shapes, §5 pooling,
# §6 SimpleConvNet.
REQUIRED = {
    # 28, 3×3, stride 2, padding 1: the division is not exact, the rule floors, a row unread
    "padding_stride": ["(5, 5)", "⌊13.5⌋ + 1 = 14", "never read"],
    "parameters": [
        "320", "18,496", "18,432", "3,200", "9,216", "1,179,776", "1,464", "250", "11",
        "3,136", "313,700", "1,010", "333,526", "9,248", "576", "36,928", "650",
        "55,744", "30,976", "7,200", "21,600", "19,200", "16,000", "340", "7,240",
        "21,660", "19,280", "16,100", "780", "432,100", "433,890",
    ],
    "pooling": ["(24, 24, 3)", "(12, 12, 3)", "55,744", "30,976", "7"],
    "scratch_cnn": ["433,890", "4320"],
}


def _outputs(chapter: str) -> str:
    nb = json.loads((ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out["output_type"] == "stream":
                parts.append("".join(out["text"]))
            for mime, value in out.get("data", {}).items():
                if "text" in mime:
                    parts.append("".join(value) if isinstance(value, list) else str(value))
    return "\n".join(parts)


def _shown(number: str, text: str) -> bool:
    if not any(ch.isdigit() for ch in number) or "(" in number:
        return number in text
    plain = number.replace(",", "")
    pattern = rf"(?<![\d,.]){re.escape(number)}(?![\d,])|(?<![\d,.]){re.escape(plain)}(?![\d,])"
    return re.search(pattern, text) is not None


@pytest.mark.parametrize("chapter", sorted(REQUIRED))
def test_curriculum_numbers_are_in_executed_outputs(chapter):
    text = _outputs(chapter)
    missing = [n for n in REQUIRED[chapter] if not _shown(n, text)]
    assert not missing, f"chapters/{chapter}.ipynb shows none of {missing} in its outputs"
