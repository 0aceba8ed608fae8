"""Proactive visits (走访, R11.6) and satisfaction surveys (满意度调查, R11.9): the words, the
site's choices and the arithmetic, no I/O (docs/VISITS.md).

A week's target counts **households visited** (distinct units), not visits: a second visit to
the same household that week does not bring the steward nearer the 2 % (R11.6 "2 % of occupied
households"). The target is rounded up: 2 % of 120 households is 3 visits, not 2.4.
A survey's figures are its own and never mix with the per-ticket follow-up's (R11.1, R11.7):
different events, different queries, different report lines.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

WEEKLY_TARGET_PERCENT = 2.0  # R11.6: ≥ 2 % of occupied households a week


class VisitsConfig(BaseModel):
    """A site's choices for visits and surveys (sites file `visits:`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    target_percent: float = Field(
        default=WEEKLY_TARGET_PERCENT,
        gt=0,
        le=100,
        description="Households to visit each week, in % of the occupied ones (R11.6)",
    )
    occupied: dict[str, int] = Field(
        default_factory=dict,
        description="zone -> occupied households, for the zones with no room in the resident "
        "file (or every zone, when `occupied_from` is `setting`; docs/VISITS.md)",
    )
    occupied_from: Literal["file", "setting"] = Field(
        default="file",
        description="`file`: a zone's occupied households are its rooms in the resident file "
        "with someone living there, where the file has rooms in the zone, and `occupied` "
        "elsewhere; `setting`: `occupied` alone (e.g. while the owner file is being imported)",
    )


class SurveyChannel(StrEnum):
    """How a survey's answer came in (R11.9: online channels included)."""

    online = "online"
    phone = "phone"
    paper = "paper"
    visit = "visit"


def week_of(day: date) -> date:
    """The Monday of `day`'s week: a visit week runs Monday to Sunday, local."""
    return day - timedelta(days=day.weekday())


def weeks_of_month(month: str) -> list[date]:
    """The Mondays of the weeks that start in `month` (YYYY-MM): a week belongs to the month
    it starts in, so that no week counts twice across two months' reports."""
    year, number = (int(part) for part in month.split("-"))
    day = date(year, number, 1)
    monday = day + timedelta(days=(7 - day.weekday()) % 7)
    weeks = []
    while monday.month == number:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def occupied_households(config: VisitsConfig, on_file: Mapping[str, int]) -> dict[str, int]:
    """Occupied households per zone (R11.6 with R16.4): `on_file` is the resident file's count,
    zone -> rooms with someone living there, for every zone with a room on file; it answers for
    those zones and the site's `occupied` for the others, unless the site says `setting`. The
    one rule intake's visit.week and reporting's month both apply (docs/VISITS.md)."""
    if config.occupied_from == "setting":
        return dict(config.occupied)
    return {**config.occupied, **on_file}


def households_to_visit(occupied: int, percent: float) -> int:
    """The week's target: `percent` of `occupied`, rounded up; none when none are occupied."""
    return math.ceil(occupied * percent / 100 - 1e-9) if occupied > 0 else 0


class ZoneWeek(NamedTuple):
    zone: str  # "*" for the whole site
    occupied: int
    target: int
    visited: int  # distinct households
    visits: int

    @property
    def met(self) -> bool:
        return self.visited >= self.target

    @property
    def rate(self) -> float | None:
        """Households visited, a share of the occupied ones (0–1, as the reports' rates)."""
        return round(self.visited / self.occupied, 4) if self.occupied else None


def tally_week(visits: Iterable[tuple[str, str]], occupied: Mapping[str, int],
               percent: float) -> list[ZoneWeek]:  # fmt: skip
    """Each zone's week against its target, then the site's (`*`), from (zone, unit) pairs. A
    zone visited that has no occupied count is listed with 0 occupied and no target."""
    visits = list(visits)
    zones = sorted({*occupied, *(zone for zone, _ in visits)})
    rows = []
    for zone in zones:
        units = [unit for z, unit in visits if z == zone]
        count = occupied.get(zone, 0)
        rows.append(ZoneWeek(zone, count, households_to_visit(count, percent), len(set(units)),
                             len(units)))  # fmt: skip
    total = sum(occupied.values())
    site_units = {(zone, unit) for zone, unit in visits}
    rows.append(ZoneWeek("*", total, households_to_visit(total, percent), len(site_units),
                         len(visits)))  # fmt: skip
    return rows


# -- surveys -------------------------------------------------------------------------------------


class QuestionStats(NamedTuple):
    key: str
    answers: int
    distribution: dict[int, int]  # score -> answers, every score of the scale
    mean: float | None
    satisfied: int

    @property
    def satisfaction_rate(self) -> float | None:
        return round(self.satisfied / self.answers, 4) if self.answers else None


class SurveyStats(NamedTuple):
    responses: int
    households: int
    questions: list[QuestionStats]

    @property
    def response_rate(self) -> float | None:
        return round(self.responses / self.households, 4) if self.households else None

    @property
    def satisfaction_rate(self) -> float | None:
        """Satisfied answers, a share of all answers, every question alike."""
        answers = sum(q.answers for q in self.questions)
        satisfied = sum(q.satisfied for q in self.questions)
        return round(satisfied / answers, 4) if answers else None


def answer_errors(questions: list[dict], answers: Mapping[str, int]) -> list[tuple[str, str]]:
    """What is wrong with a response against its survey's questions: (field, message) each.
    Every required question is answered, on its scale; no question the survey does not ask."""
    errors = []
    asked = {q["key"]: q for q in questions}
    for key in answers:
        if key not in asked:
            errors.append((f"answers.{key}", f"the survey asks no question {key!r}"))
    for key, question in asked.items():
        score = answers.get(key)
        if score is None:
            if question.get("required", True):
                errors.append((f"answers.{key}", "this question is required"))
        elif not 1 <= score <= question["scale"]:
            errors.append((f"answers.{key}", f"a score from 1 to {question['scale']}"))
    return errors


def survey_statistics(questions: list[dict], responses: Iterable[Mapping[str, int]],
                      households: int) -> SurveyStats:  # fmt: skip
    """Per question: how many answered, the distribution of scores, the mean and how many were
    satisfied (a score at or above the question's `satisfied_from`); overall: the response rate
    against the households asked and the satisfaction rate of all answers (R11.9)."""
    responses = list(responses)
    stats = []
    for q in questions:
        scores = [r[q["key"]] for r in responses if q["key"] in r]
        distribution = {s: scores.count(s) for s in range(1, q["scale"] + 1)}
        mean = round(sum(scores) / len(scores), 2) if scores else None
        satisfied = sum(1 for s in scores if s >= q["satisfied_from"])
        stats.append(QuestionStats(q["key"], len(scores), distribution, mean, satisfied))
    return SurveyStats(len(responses), households, stats)
