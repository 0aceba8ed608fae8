"""Charts of the HTML page: matplotlib (Agg, no display) drawn to SVG and put inline in the page.

Text stays text in the SVG (`svg.fonttype: none`), so the reader's browser draws it with its own
fonts. Titles and axis labels are bilingual when a font that can render Chinese is installed (found
with `fc-list :lang=zh` and matplotlib's font manager), else English only; values taken from the
report (a site's own category, a site's name) are written as they are, and a missing glyph never
stops the drawing. The SVG depends on the input only: no date, fixed ids."""

from __future__ import annotations

import functools
import io
import math
import re
import shutil
import subprocess
import warnings
from collections.abc import Collection, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from propdesk.report_files import labels as L
from propdesk.report_files.quality import TREND

# Families known to cover simplified Chinese, most preferred first.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
    "Heiti SC",
    "STHeiti",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "Droid Sans Fallback",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
)
COLORS = ("#2f5597", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2e75b6", "#a5a5a5", "#843c0c")


@functools.cache
def cjk_font() -> str | None:
    """A font family matplotlib can load that renders Chinese, or None."""
    loadable = {f.name for f in font_manager.fontManager.ttflist}
    candidates = list(CJK_FAMILIES)
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            listed = subprocess.run(
                [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=10
            ).stdout
        except (OSError, subprocess.SubprocessError):
            listed = ""
        for line in sorted(listed.splitlines()):
            candidates += [name.strip() for name in line.split(",") if name.strip()]
    return next((name for name in candidates if name in loadable), None)


class Words:
    """Chart wording: Chinese and English with a CJK font, English alone without."""

    def __init__(self, cjk: bool) -> None:
        self.cjk = cjk

    def __call__(self, zh: str, en: str) -> str:
        return f"{zh} {en}" if self.cjk else en

    def of(self, vocabulary: dict[str, tuple[str, str]], key: Any) -> str:
        return L.label(vocabulary, key) if self.cjk else L.english(vocabulary, key)

    def site(self, site: str, name: str | None) -> str:
        return f"{name} ({site})" if self.cjk and name else site


def _rc(font: str | None) -> dict[str, Any]:
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": "propdesk-report",
        "font.family": "sans-serif",
        "font.sans-serif": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "font.size": 9,
    }


def _number(v: Any) -> float:
    """A value to plot; null (a rate with nothing to count) is a gap."""
    if v is None or isinstance(v, bool):
        return math.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def draw(font: str | None, paint: Any, size: tuple[float, float]) -> str:
    """Run `paint(figure)` and return the figure as an SVG element (no XML prologue)."""
    with matplotlib.rc_context(_rc(font)), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from")
        fig = Figure(figsize=size, layout="constrained")
        paint(fig)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]


_TAG = re.compile(r"<[^<>]+>")  # drawn text has its < and > escaped: these are tags
_ID = re.compile(r'(\sid="|href="#|url\(#)')


def scoped(svg: str, prefix: str) -> str:
    """The SVG with every id (and every reference to one) prefixed, so that several charts in
    one page never share an id."""
    return _TAG.sub(lambda tag: _ID.sub(lambda m: f"{m[1]}{prefix}-", tag[0]), svg)


def _month_axis(ax: Any, months: Sequence[str]) -> None:
    """Every month on the axis, also those whose rate is a gap (nothing to count)."""
    ax.set_xticks(range(len(months)), list(months))
    ax.set_xlim(-0.5, max(len(months) - 0.5, 0.5))


def bars(
    labels: Sequence[str],
    values: Sequence[Any],
    title: str,
    *,
    percent: bool = False,
    font: str | None = None,
    color: str = COLORS[0],
) -> str:
    """A horizontal bar per label, its value written at the end of the bar."""
    numbers = [_number(v) for v in values]

    def paint(fig: Figure) -> None:
        ax = fig.subplots()
        positions = range(len(labels))
        drawn = ax.barh(positions, [0 if math.isnan(n) else n for n in numbers], color=color)
        ax.set_yticks(list(positions), list(labels))
        ax.invert_yaxis()
        ax.set_title(title, loc="left", fontweight="bold")
        ax.grid(axis="y", visible=False)
        if percent:
            ax.xaxis.set_major_formatter(PercentFormatter(1.0))
            ax.set_xlim(0, 1.12)
        else:
            top = max([n for n in numbers if not math.isnan(n)] + [1])
            ax.set_xlim(0, top * 1.15)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        shown = [
            "n/a" if math.isnan(n) else (f"{n * 100:.1f}%" if percent else f"{n:g}")
            for n in numbers
        ]
        ax.bar_label(drawn, shown, padding=3)

    return draw(font, paint, (7.0, 1.2 + 0.32 * max(len(labels), 1)))


CARE_LINES = ("care_visits", "care_visits_overdue")  # the work done, and the people it failed


def monthly_trend(trend: list[dict[str, Any]], words: Words, font: str | None) -> str:
    """Six months: contacts and complaints (left), satisfaction and clock compliance (right), and
    the special-care visits and residents overdue (R11.10) when the site has any."""
    months = [str(t.get("month", "")) for t in trend]
    care = [k for k in CARE_LINES if has_values(t.get(k) for t in trend)]

    x = range(len(months))

    def lines(ax: Any, keys: Sequence[tuple[str, str]], first: int) -> None:
        for i, (key, name) in enumerate(keys):
            ax.plot(x, [_number(t.get(key)) for t in trend], marker="o",
                    color=COLORS[first + i], label=name)  # fmt: skip

    def paint(fig: Figure) -> None:
        counts, rates, *cared = fig.subplots(1, 3 if care else 2)
        lines(counts, [(k, words.of(L.MEASURES, k)) for k in ("contacts", "complaints")], 0)
        counts.set_title(words("受理与投诉", "Contacts and complaints"), loc="left",
                         fontweight="bold")  # fmt: skip
        rated = ("satisfaction_rate", "clock_compliance")
        lines(rates, [(k, words.of(L.MEASURES, k)) for k in rated], 2)
        rates.set_title(words("满意率与时限达标率", "Satisfaction and compliance"), loc="left",
                        fontweight="bold")  # fmt: skip
        rates.yaxis.set_major_formatter(PercentFormatter(1.0))
        rates.set_ylim(0, 1.05)
        for ax in cared:
            lines(ax, [(k, words.of(L.MEASURES, k)) for k in care], 4)
            ax.set_title(words("特殊关怀", "Special care"), loc="left", fontweight="bold")
        for ax in (counts, *cared):
            _count_axis(ax)
        for ax in (counts, rates, *cared):
            _month_axis(ax, months)
            ax.legend(loc="best", fontsize=8)
            ax.tick_params(axis="x", labelrotation=30)

    return draw(font, paint, (13.0 if care else 9.0, 3.4))


def _count_axis(ax: Any) -> None:
    """A count's axis: whole numbers from 0, and at least up to 1 — a series of zeros drawn on
    matplotlib's own scale read 0.000 to 0.054."""
    ax.set_ylim(0, max(1.0, ax.get_ylim()[1]))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def has_values(values: Any) -> bool:
    """Whether there is anything to draw: a value that is not null."""
    return any(v is not None for v in values)


def site_trends(
    months: list[str],
    trend: dict[str, dict[str, list[Any]]],
    names: dict[str, str | None],
    words: Words,
    font: str | None,
    panels: Sequence[str] = TREND,
    sites: Collection[str] | None = None,
) -> str:
    """A panel per measure, two a row, a line per site (of `sites` only, when given: a site keeps
    its colour from chart to chart); with an odd number of panels the last place holds the
    legend."""
    shown = [
        (site, series, COLORS[i % len(COLORS)])
        for i, (site, series) in enumerate(trend.items())
        if sites is None or site in sites
    ]
    rows = math.ceil(len(panels) / 2)

    def paint(fig: Figure) -> None:
        axes = fig.subplots(rows, 2).flatten()
        for ax, measure in zip(axes, panels, strict=False):
            for site, series, color in shown:
                points = [_number(v) for v in (series.get(measure) or [])]
                points += [math.nan] * (len(months) - len(points))
                label = words.site(site, names.get(site))
                ax.plot(range(len(months)), points[: len(months)], marker="o", markersize=3,
                        color=color, label=label)  # fmt: skip
            _month_axis(ax, months)
            ax.set_title(words.of(L.MEASURES, measure), loc="left", fontweight="bold")
            ax.tick_params(axis="x", labelrotation=30, labelsize=7)
            if measure in L.RATE_MEASURES:
                ax.yaxis.set_major_formatter(PercentFormatter(1.0))
                ax.set_ylim(0, 1.05)
            else:
                _count_axis(ax)
        if shown:
            handles, names_ = axes[0].get_legend_handles_labels()
            if len(panels) % 2:
                axes[-1].axis("off")
                axes[-1].legend(handles, names_, loc="center", ncols=1 + len(shown) // 8)
            else:
                fig.legend(handles, names_, loc="outside lower center", ncols=min(len(shown), 5))
        elif len(panels) % 2:
            axes[-1].axis("off")

    return draw(font, paint, (9.0, 3.2 * rows))
