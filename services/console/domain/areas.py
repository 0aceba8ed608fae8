"""Which part of the site a page shows (我的辖区 / 全部): a zone CS assistant (辖区客服助理) holds
her zones' complaints (R1.3, R6.3), so the ticket list, the dashboard and the care roll show her
zones first, and the whole site one click away. A member with no zones on the staff list sees the
whole site, as before. What the page asks the desk for; it grants and hides nothing."""

from __future__ import annotations

from dataclasses import dataclass

MINE, SITE = "mine", "site"  # the pages' `area` parameter
AREAS = {MINE: "我的辖区", SITE: "全部（本项目）"}


@dataclass(frozen=True, slots=True)
class Area:
    own: tuple[str, ...]  # the member's zones, from the staff list
    shown: str  # MINE or SITE

    @property
    def zones(self) -> tuple[str, ...]:
        """The zones to ask for; () for the whole site."""
        return self.own if self.shown == MINE else ()

    @property
    def label(self) -> str:
        """What the page says it shows."""
        return self._mine if self.zones else AREAS[SITE]

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        """The two a member with zones chooses between, each named as the page shows it."""
        return (MINE, self._mine), (SITE, AREAS[SITE])

    @property
    def _mine(self) -> str:
        return f"{AREAS[MINE]}：{'、'.join(self.own)}"


def area_of(own: tuple[str, ...], asked: str | None) -> Area:
    """Her zones unless she asked for the whole site; the whole site for one with none."""
    if not own:
        return Area((), SITE)
    return Area(own, SITE if asked == SITE else MINE)
