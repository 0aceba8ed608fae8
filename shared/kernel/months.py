"""Calendar months as `YYYY-MM` strings: the months a report looks back on."""

from __future__ import annotations


def months_back(month: str, count: int) -> list[str]:
    """`count` months ending with `month`, oldest first."""
    year, mon = (int(x) for x in month.split("-"))
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{mon:02d}")
        year, mon = (year, mon - 1) if mon > 1 else (year - 1, 12)
    return out[::-1]


def previous_month(month: str) -> str:
    return months_back(month, 2)[0]
