"""What personal data looks like in what a desk types (R15.1, R15.4, R15.5,
docs/DOMAIN.md §9).

Two uses: free text is masked before it is published (`mask_spans`), and an identifier that is
published as typed (staff id, client_ref, room) is refused when it looks like personal data
(`looks_personal`). Matching runs on a folded copy of the text (NFKC per character, so full-width
digits, letters, colons and spaces count as ASCII; Chinese numerals as digits) and maps back, so
what is not masked stays exactly as typed. What is and is not caught: docs/contract.md §14.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from shared.kernel.personal.patterns import CN_DIGITS, DETECTORS, NAMES, NEEDS, fold
from shared.kernel.personal.reporters import reporters as index

_MOBILE_RUN = re.compile(r"(?:0086|86)?1[3-9]\d{9}")
_IDENTIFIER_SEPARATORS = re.compile(r"[\s\-._:/·()+]")


def _found(words: str, reporters: Iterable[dict[str, Any] | None]) -> list[tuple[str, int, int]]:
    """(kind, start, end) in the folded text of everything that looks like personal data."""
    digits = words.translate(CN_DIGITS)  # one character for one: the same positions
    searches = [(kind, pattern, digits) for kind, pattern in DETECTORS]
    searches += [("a name", pattern, words) for pattern in NAMES]
    found = index(reporters).found(words, digits)
    for kind, pattern, text in searches:
        if (needs := NEEDS.get(kind)) and not needs(text):
            continue
        group = "v" if "v" in pattern.groupindex else 0
        found += [(kind, m.start(group), m.end(group)) for m in pattern.finditer(text)]
    return [f for f in found if f[2] > f[1]]


def mask_spans(text: str, reporters: Iterable[dict[str, Any] | None] = ()) -> list[tuple[int, int]]:
    """Where `text` holds personal data: merged (start, end) spans of the text as typed."""
    folded, origin = fold(text)
    spans = sorted((origin[s], origin[e - 1] + 1) for _, s, e in _found(folded, reporters))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def looks_personal(value: str, reporters: Iterable[dict[str, Any] | None] = ()) -> str | None:
    """What personal data an identifier seems to carry ("a phone number" …), or None.

    Beyond what free text is masked for, the digits are read with every separator removed
    (c.139.1234.5678, r_139_1234_5678 are phones). A UUID is an identifier of its own making
    and is accepted as it is (its hex digits fall into phone-like runs about once in a thousand).
    """
    if not reporters:  # the same few site and staff ids come with every command
        return _identifier_alone(value, ())
    return _looks_personal(value, reporters)


def _looks_personal(value: str, reporters: Iterable[dict[str, Any] | None]) -> str | None:
    if _is_uuid(value):
        return None
    folded, _ = fold(value)
    found = _found(re.sub(r"[_:/]", "-", folded), reporters)
    if found:
        return found[0][0]
    runs = re.findall(r"\d+", _IDENTIFIER_SEPARATORS.sub("", folded))
    return "a phone number" if any(_MOBILE_RUN.fullmatch(run) for run in runs) else None


def _is_uuid(value: str) -> bool:
    """A UUID as str(UUID) writes it (36 characters: shorter or longer strings are not tried)."""
    try:
        return len(value) == 36 and str(UUID(value)) == value.lower()
    except ValueError:
        return False


_identifier_alone = functools.lru_cache(maxsize=4096)(_looks_personal)


def names_a_reporter(value: str, reporters: Iterable[dict[str, Any] | None]) -> str | None:
    """`looks_personal(value, reporters)` for an identifier that `looks_personal(value)` has
    passed already (the field's own check ran first): of what it looks for, only the reporters'
    own names and numbers are left, so only those are looked for (the same verdict, at a third of
    the cost: a report's client_ref and room are checked both ways)."""
    if _is_uuid(value):
        return None
    folded, _ = fold(value)
    words = re.sub(r"[_:/]", "-", folded)
    found = [f for f in index(reporters).found(words, words.translate(CN_DIGITS)) if f[2] > f[1]]
    return found[0][0] if found else None
