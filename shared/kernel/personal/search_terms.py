"""What a ticket is found by when someone calls back: the reporter's phone, name and room, each
folded to one spelling, so that `139 1234 5678`, `+86 13912345678` and `13912345678` are the same
phone and `Li Lei` is `lilei`. Intake keeps only a keyed hash of each term (its blind index,
services/intake/contact_index.py), never the term."""

from __future__ import annotations

import re
from typing import Any

from shared.kernel.personal.patterns import fold

PHONE, NAME, ROOM = "phone", "name", "room"
_NOT_DIGIT = re.compile(r"\D")
_INSIDE_NAMES = re.compile(r"[\s·.]")
_SPACES = re.compile(r"\s+")


def phone_term(phone: str) -> str:
    """The national digits: without spaces and dashes, and without a leading 0086 or 86 on a
    number longer than a mainland mobile's 11 digits."""
    digits = _NOT_DIGIT.sub("", fold(phone)[0])
    return re.sub(r"^(?:0086|86)", "", digits) if len(digits) > 11 else digits


def name_term(name: str) -> str:
    """NFKC, without spaces and dots, case-folded (李 四 is 李四, Li Lei is lilei)."""
    return _INSIDE_NAMES.sub("", fold(name)[0]).casefold()


def room_term(room: str) -> str:
    """NFKC, runs of spaces as one, case-folded (`3-1201`, `B 栋 1201`)."""
    return _SPACES.sub(" ", fold(room)[0]).strip().casefold()


TERMS = {PHONE: phone_term, NAME: name_term, ROOM: room_term}


def terms_of(reporter: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(field, term) for each of a reporter's phone, name and room that is given."""
    if not reporter:
        return []
    found = []
    for field, term in TERMS.items():
        value = reporter.get(field)
        if value and (folded := term(value)):
            found.append((field, folded))
    return found
