"""A ticket's own reporters in free text: their names however spaced, their surname with an
honorific, their phone however split (R15.4).

Intake masks a month's analysis with the reporters of six months (thousands of them), so the
reporters are an index looked up in the text, not one pattern per reporter: a regular expression
of 18,000 names took 12 s to compile.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from shared.kernel.personal.patterns import ANY_HONORIFIC, fold, surname

NAME_KIND, PHONE_KIND = "the reporter's name", "the reporter's phone"
# Digits of one number: groups joined by spaces, or by one dash, dot, middle dot or bracket.
_RUN = re.compile(r"\d+(?:(?:[ \t]*[-.·()][ \t]*|[ \t]+)\d+)*")
_GROUP = re.compile(r"\d+")
_INSIDE_NAMES = re.compile(r"[\s·.]")
_OUTSIDE_NAMES = re.compile(r"[^\s·.]")


@dataclass(frozen=True)
class Reporters:
    names: frozenset[str]  # without spaces and dots, lower case, two characters or more
    phones: frozenset[str]  # the national digits, five or more
    surnames: re.Pattern[str] | None  # their surnames followed by an honorific

    def found(self, words: str, digits: str) -> list[tuple[str, int, int]]:
        """(kind, start, end) in the folded text; `digits` is it with numerals as digits."""
        found = self._names(words) + self._phones(digits)
        if self.surnames is not None:
            found += [(NAME_KIND, m.start(), m.end()) for m in self.surnames.finditer(words)]
        return found

    def _names(self, words: str) -> list[tuple[str, int, int]]:
        """Each name, with spaces, full-width spaces or dots between its characters (李 四)."""
        if not self.names:
            return []
        kept: Sequence[int] = range(len(words))
        squeezed = words
        if _INSIDE_NAMES.search(words):
            kept = [m.start() for m in _OUTSIDE_NAMES.finditer(words)]
            squeezed = "".join(words[i] for i in kept)
        # ASCII lowers one character for one; others one by one (Σ alone, not as a final ς)
        squeezed = squeezed.lower() if squeezed.isascii() else "".join(map(_lower, squeezed))
        present = set(squeezed)
        found = []
        for name in self.names:
            if name[0] not in present:
                continue
            start = squeezed.find(name)
            while start >= 0:
                first, last = kept[start], kept[start + len(name) - 1] + 1
                if not (name.isascii() and _in_a_word(words, first, last)):
                    found.append((NAME_KIND, first, last))
                start = squeezed.find(name, start + 1)
        return found

    def _phones(self, digits: str) -> list[tuple[str, int, int]]:
        """Each phone, whichever groups its digits are typed in (021 5555, 0215-555)."""
        if not self.phones:
            return []
        longest, shortest = max(map(len, self.phones)), min(map(len, self.phones))
        found = []
        for run in _RUN.finditer(digits):
            if run.end() - run.start() < shortest or sum(map(str.isdigit, run.group())) < shortest:
                continue  # too few digits for any of the numbers (an identifier's 3 or 7)
            groups = [(m.start(), m.end(), m.group()) for m in _GROUP.finditer(digits, *run.span())]
            for i, (start, _, _) in enumerate(groups):
                number = ""
                for _, end, group in groups[i:]:
                    number += group
                    if len(number) > longest:
                        break
                    if number in self.phones:
                        found.append((PHONE_KIND, start, end))
        return found


def reporters(known: Iterable[dict[str, Any] | None]) -> Reporters:
    pairs = {((r.get("name") or ""), (r.get("phone") or "")) for r in known if r}
    return _index(tuple(sorted(pairs)))


@lru_cache(maxsize=256)  # a ticket's events are published one after the other
def _index(pairs: tuple[tuple[str, str], ...]) -> Reporters:
    names = {_squeezed(name) for name, _ in pairs}
    surnames = {s for name in names if (s := surname(name))}
    if surnames:
        ordered = sorted(surnames, key=lambda s: (-len(s), s))  # 欧阳 before 欧
        alternatives = "|".join(map(re.escape, ordered))
        pattern: re.Pattern[str] | None = re.compile(rf"(?:{alternatives})[ \t]*{ANY_HONORIFIC}")
    else:
        pattern = None
    return Reporters(
        names=frozenset(n for n in names if len(n) >= 2),
        phones=frozenset(p for _, phone in pairs if len(p := _national(phone)) >= 5),
        surnames=pattern,
    )


def _squeezed(name: str) -> str:
    """The name as matched: NFKC, without spaces and dots, lower case. A one-character name is
    left out: it would mask that character anywhere."""
    return "".join(_lower(ch) for ch in _INSIDE_NAMES.sub("", fold(name)[0]))


def _national(phone: str) -> str:
    digits = re.sub(r"\D", "", fold(phone)[0])
    return re.sub(r"^(?:0086|86)", "", digits) if len(digits) > 11 else digits


def _lower(ch: str) -> str:
    """One character for one (a few characters lower into two)."""
    lower = ch.lower()
    return lower if len(lower) == 1 else ch


def _in_a_word(text: str, start: int, end: int) -> bool:
    """A Latin name inside a longer word (Li in Lisa) is not the name."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())
