"""The month's contacts: who calls each site on which day, about what (a `Ticket` each), drawn
from the site's profile with a `random.Random` of their own, so a seed always gives the same
month."""

from __future__ import annotations

import asyncio
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from propdesk.demo.profiles import Profile
from propdesk.demo.sites import Person
from propdesk.demo.timeline import ZONE, local
from shared.kernel.repairs import urgency_of
from shared.kernel.worktime import is_working_day


@dataclass(eq=False)
class Ticket:
    site: str
    n: int
    rng: random.Random
    at: datetime
    kind: str
    category: str | None
    channel: str
    content: str
    person: Person | None
    unit: str | None
    public: bool = False
    urgent: bool = False
    help_category: str | None = None
    appointment: tuple[datetime, datetime] | None = None
    answer: str | None = None
    duplicate_of: Ticket | None = None
    stuck: bool = False
    ticket_id: str = ""
    ticket_no: str = ""
    incident_no: str = ""  # the emergency event a help request of A, E or F opened (R16.5)
    reported: asyncio.Event = field(default_factory=asyncio.Event)
    _steps: itertools.count = field(default_factory=itertools.count)

    @property
    def client_ref(self) -> str:
        return f"{self.site}-{self.at.astimezone(ZONE):%Y%m%d}-{self.n:04d}"

    def command_id(self) -> str:
        return f"demo:{self.client_ref}:{next(self._steps)}"


def _minutes(rng: random.Random, profile: Profile, count: int, day: date) -> list[datetime]:
    """`count` different minutes of the day, most of them in office hours."""
    lo, hi = profile.hours
    chosen: set[int] = set()
    while len(chosen) < count:
        if rng.random() < 0.8:
            hour = rng.uniform(8.5, 18.0)
        elif rng.random() < 0.8:
            hour = rng.uniform(lo, hi)
        else:
            hour = rng.uniform(0.0, 24.0) if profile.residential else rng.uniform(lo, hi)
        chosen.add(min(int(hour * 60), 24 * 60 - 1))
    return sorted(local(day, m / 60) for m in chosen)


KINDS = (("repair", 45), ("complaint", 15), ("inquiry", 20), ("suggestion", 8), ("help", 12))


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def contacts_of_day(
    seed: int, profile: Profile, day: date, first: int, pool: list[Person], *, stuck: bool
) -> list[Ticket]:
    """The contacts one site receives on one day, numbered from `first`."""
    rng = random.Random(f"{seed}/{profile.site}/{day.isoformat()}")
    working = is_working_day(day)
    count = rng.randint(*(profile.workday if working else profile.offday))
    tickets: list[Ticket] = []
    for i, at in enumerate(_minutes(rng, profile, count, day)):
        n = first + i
        t_rng = random.Random(f"{seed}/{profile.site}/{n}")
        kind = "complaint" if stuck and i == 0 else _pick(t_rng, KINDS)
        night = at.hour < 8 or at.hour >= 20
        person = t_rng.choice(pool)
        channel = _pick(
            t_rng,
            {
                "repair": (("phone", 45), ("visit", 15), ("online", 30), ("hotline", 10)),
                "complaint": (("phone", 45), ("visit", 25), ("online", 20), ("letter", 10)),
                "inquiry": (("phone", 40), ("visit", 35), ("online", 25)),
                "suggestion": (("online", 50), ("letter", 20), ("visit", 30)),
                "help": (("phone", 65), ("hotline", 30), ("visit", 5)),
            }[kind],
        )
        if night and channel in ("visit", "letter"):
            channel = "hotline"
        t = Ticket(profile.site, n, t_rng, at, kind, None, channel, "", person, None)
        t.unit = profile.unit(t_rng)
        if kind == "repair":
            _repair(t, profile, night)
        elif kind == "complaint":
            t.category, t.content = (
                profile.complaints[0] if stuck and i == 0 else t_rng.choice(profile.complaints)
            )
            t.stuck = stuck and i == 0
        elif kind == "inquiry":
            t.category, t.content, t.answer = t_rng.choice(profile.inquiries)
        elif kind == "suggestion":
            t.category, t.content = t_rng.choice(profile.suggestions)
        else:
            t.help_category, t.content = t_rng.choice(profile.helps)
        if t.person is not None and t.channel in ("phone", "hotline") and t_rng.random() < 0.15:
            # people say who they are and where to call back: intake masks it before publishing
            t.content += f"，{t.person.name}请回电{t.person.phone}"
        tickets.append(t)
        if kind == "inquiry" and t_rng.random() < 0.05:  # logged again by a colleague
            twin = Ticket(
                profile.site, n, t_rng, at + timedelta(minutes=t_rng.randint(3, 12)), kind,
                t.category, "online", t.content, person, t.unit, answer=t.answer, duplicate_of=t,
            )  # fmt: skip
            tickets.append(twin)
    tickets.sort(key=lambda t: t.at)
    for number, t in enumerate(tickets, start=first):
        t.n = number
    return tickets


def _repair(t: Ticket, profile: Profile, night: bool) -> None:
    rng = t.rng
    if profile.inspections and rng.random() < 0.08:
        t.category, t.content, t.public = rng.choice(profile.inspections)
        t.channel, t.person, t.unit = "inspection", None, None
    else:
        urgent = [r for r in profile.repairs if urgency_of(r[0], r[1]).value == "urgent"]
        general = [r for r in profile.repairs if r not in urgent]
        t.category, t.content, t.public = rng.choice(urgent if rng.random() < 0.13 else general)
    t.urgent = urgency_of(t.category, t.content).value == "urgent"
    if t.public and t.unit is not None:
        places = ["大堂", "地下车库", "1号门岗", "中庭"]
        t.unit = f"{rng.randint(1, 18)}栋" if t.site == "hbw" else rng.choice(places)
    if t.urgent or t.public:
        return
    workdays = not profile.residential
    if night or rng.random() < 0.15:  # the customer wants a time of their own
        day = t.at.astimezone(ZONE).date() + timedelta(days=1 if night else rng.randint(1, 2))
        while workdays and not is_working_day(day):
            day += timedelta(days=1)
        start = local(day, rng.choice([9.0, 10.0, 14.0, 15.0]))
        t.appointment = (start, start + timedelta(hours=2))
