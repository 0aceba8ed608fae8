"""How the console's pages are written: Jinja2 with autoescaping everywhere (content typed by
residents is escaped on every page), the Chinese words, times in the site's zone."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.console.domain.words import word
from shared.kernel.local_time import shown

TEMPLATES = Path(__file__).parents[1] / "templates"


def time_left(due: str | datetime | None, now: datetime) -> str:
    """How long until `due` (剩余 …), or how long past it (已超时 …)."""
    if not due:
        return ""
    moment = datetime.fromisoformat(due) if isinstance(due, str) else due
    seconds = int((moment - now).total_seconds())
    minutes = abs(seconds) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    span = (f"{days}天" if days else "") + (f"{hours}小时" if hours else "") + f"{mins}分"
    return f"剩余 {span}" if seconds >= 0 else f"已超时 {span}"


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["w"] = lambda value, vocabulary: word(vocabulary, value)
    return env


def local(zone: ZoneInfo) -> Any:
    """The filter that shows a time in the site's zone ("" for none)."""
    return lambda when: shown(when, zone) if when else ""
