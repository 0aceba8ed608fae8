"""How a ticket's classification may change (R5.1–R5.6, R6.2, decision C10), and whether it
climbs the complaint ladder. Pure functions on the ticket's fields."""

from __future__ import annotations

from typing import Any

from shared.kernel.refusals import RuleError
from shared.kernel.vocabulary import Kind, Validity


def ladder_after(ladder: str | None, climbs: bool) -> str | None:
    """Escalation's ladder starts when a ticket first is a complaint that climbs; it is left
    while the classification says it does not climb (communicative, or no complaint after all),
    and a correction back to a complaint that climbs puts it on the ladder again (R6.3–R6.7)."""
    if climbs:
        return "climbing"
    return None if ladder is None else "left"


def drop_what_no_longer_applies(c: dict[str, Any], given: dict[str, Any]) -> None:
    """A reclassification clears the earlier fields it makes meaningless (a complaint found to be
    an inquiry loses its severity; one found valid loses its communicative type). Fields given in
    the same command are kept, so that a contradictory command is refused, not quietly fixed."""
    stale: list[str] = []
    if c["kind"] != Kind.help:
        stale.append("help_category")
    if c["kind"] != Kind.complaint:
        stale += ["validity", "communicative_type", "severity", "about_staff"]
    elif c["validity"] == Validity.valid:
        stale.append("communicative_type")
    elif c["validity"] == Validity.communicative:
        stale.append("severity")
    for f in stale:
        if f not in given:
            c[f] = None


def check_classification(c: dict[str, Any]) -> None:
    """Validity and severity belong to complaints only (R5.1–R5.6, decision C10)."""
    if c["kind"] == Kind.help and c["help_category"] is None:
        raise RuleError("help_category", "help_category (A–G) is required when kind is help")
    if c["kind"] != Kind.help and c["help_category"] is not None:
        raise RuleError("help_category", "help_category is only for help requests")
    if c["kind"] != Kind.complaint:
        for f in ("validity", "communicative_type", "severity", "about_staff"):
            if c[f] is not None:
                raise RuleError(f, f"{f} applies to complaints only")
        return
    if c["validity"] == Validity.communicative:
        if c["communicative_type"] is None:
            raise RuleError("communicative_type", "a communicative complaint needs its type")
        if c["severity"] is not None:
            raise RuleError("severity", "a communicative complaint has no severity")
    elif c["communicative_type"] is not None:
        raise RuleError("communicative_type", "communicative_type needs validity communicative")
