"""Texts shown in a bounded space: one rule for cutting them, so a message, a mail's subject, a
published summary, a CLI row and the console's notices page all end the same way."""

from __future__ import annotations


def shortened(text: str, most: int) -> str:
    """`text` whole if it fits in `most` characters, else its first `most - 1` and "…"."""
    return text if len(text) <= most else text[: most - 1] + "…"
