"""What "satisfied" means (R11.1, R11.7, R8.12; docs/REPORTS.md "Satisfaction"): one definition
for the follow-up command, the ticket's closure, the demo's table and every report.

The customer's answer in the follow-up call (回访) is a score of 1–5; the customer is satisfied
when the score is 4 or 5, and only then does the ticket close (R8.12, R11.2); 1–3 reopens it. The
procedures ask for the customer's satisfaction (满意度) but give no scale, so the score is the
record and "satisfied" is derived from it, never recorded beside it to disagree.

Only a customer's answer counts: an inspection finding (channel `inspection`) has no customer and
is verified on site instead (R13.17), so it has no follow-up call and no place in the rate.
"""

from __future__ import annotations

from shared.kernel.vocabulary import Channel

LOWEST, HIGHEST = 1, 5
SATISFIED_FROM = 4  # 4 (满意) and 5 (非常满意) are satisfied; 1–3 are not


def is_satisfied(score: int) -> bool:
    """The customer is satisfied with a score of 4 or 5."""
    return score >= SATISFIED_FROM


def contradiction(satisfied: bool | None, score: int) -> str | None:
    """Why `satisfied` and `score` cannot both be what the customer said, or None when they
    agree (or `satisfied` was not given)."""
    if satisfied is None or satisfied == is_satisfied(score):
        return None
    if satisfied:
        return (
            f"score {score} is not satisfied: a satisfied customer scores "
            f"{SATISFIED_FROM}–{HIGHEST}; record the score the customer gave, or leave out "
            "--satisfied"
        )
    return (
        f"score {score} is satisfied: an unsatisfied customer scores {LOWEST}–"
        f"{SATISFIED_FROM - 1}; record the score the customer gave, or leave satisfied out"
    )


def has_customer(channel: str) -> bool:
    """An inspection finding has no customer to call back or ask (R13.17, R2.2)."""
    return channel != Channel.inspection
