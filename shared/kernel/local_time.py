"""Times as a person reads them: in the site's zone, to the minute, and saying which zone
("2026-12-05 15:05 (UTC+08:00)"). The bus and the stores keep aware times in any offset (mostly
UTC); whatever shows a time to a person (the CLI, reports, workbooks) goes through `shown`, or,
for a table of times all in one offset, `TableTimes`, which says the zone once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo


def offset_label(when: datetime) -> str:
    """The UTC offset of an aware time, as "UTC+08:00" (or "UTC+00:00")."""
    offset = when.utcoffset()
    if offset is None:
        raise ValueError("a time shown to a person must be timezone-aware")
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def in_zone(when: datetime | str, zone: tzinfo | None = None) -> datetime:
    """`when` in `zone` (the site's; None keeps its own offset). An ISO 8601 string is read."""
    moment = datetime.fromisoformat(when) if isinstance(when, str) else when
    return moment.astimezone(zone) if zone is not None else moment


def shown(when: datetime | str, zone: tzinfo | None = None) -> str:
    """`when` in `zone` (the site's; None keeps its own offset), to the minute, with its offset:
    "2026-12-05 15:05 (UTC+08:00)". An ISO 8601 string is read first."""
    local = in_zone(when, zone)
    return f"{local:%Y-%m-%d %H:%M} ({offset_label(local)})"


class TableTimes:
    """The times of one table (or list) in `zone`, to the minute. When they all have one offset
    (one site's zone, no change to or from summer time among them) the table says it once,
    `caption` ("times in Asia/Shanghai, UTC+08:00"), and each cell is bare ("2026-12-05
    15:05"): a column 12 characters narrower, which wraps at the space. Otherwise each cell
    says its own offset, as `shown` does, and there is no caption."""

    def __init__(self, zone: tzinfo | None, times: Iterable[datetime | str | None]) -> None:
        self.zone = zone
        offsets = {offset_label(in_zone(when, zone)) for when in times if when}
        self.offset = offsets.pop() if len(offsets) == 1 else None

    def __call__(self, when: datetime | str | None) -> str:
        """A cell: "" for a missing time."""
        if not when:
            return ""
        return (
            f"{in_zone(when, self.zone):%Y-%m-%d %H:%M}" if self.offset else shown(when, self.zone)
        )

    @property
    def caption(self) -> str | None:
        if self.offset is None:
            return None
        name = getattr(self.zone, "key", None)  # a ZoneInfo's name, Asia/Shanghai
        return f"times in {name}, {self.offset}" if name else f"times in {self.offset}"


def shown_or_blank(when: datetime | str | None, zone: tzinfo | None = None) -> str:
    """`shown`, or "" for a missing time (a table's empty cell)."""
    return shown(when, zone) if when else ""
