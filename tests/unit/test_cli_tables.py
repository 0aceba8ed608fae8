"""The CLI's lists at 80–160 columns: a table's times all in one zone say it once below it and
print their cells bare (`TableTimes`); ids stay whole; a list whose ticket number names each row
(`ticket list`, `ticket search`) shows every number whole at any width and the id beside it
only where the table has room for it, and breaks no word across lines (a status, kind or
category that does not fit ends in "…"); a table too wide to show without breaking words
(`notice list`) prints its rows as blocks."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from propdesk.cli import common, escalation, queues, ticket
from propdesk.cli.main import app
from shared.contracts.escalation_events import KNOWN_ENDS
from shared.kernel import words
from shared.kernel.local_time import TableTimes

SHANGHAI = ZoneInfo("Asia/Shanghai")
TICKET = "fb1a8a3b-8253-55bd-afc5-cc2370cf18d6"
NOTICE = "141e8fee-4ac6-5b54-ba4c-752156f94818"


def test_times_in_one_offset_are_bare_and_their_zone_said_once() -> None:
    times = TableTimes(SHANGHAI, ["2026-12-05T07:05:00Z", datetime(2026, 12, 6, 1, tzinfo=UTC)])
    assert times("2026-12-05T07:05:00Z") == "2026-12-05 15:05"  # in the site's zone
    assert times(None) == ""
    assert times.caption == "times in Asia/Shanghai, UTC+08:00"
    as_sent = TableTimes(None, ["2026-12-05T07:05:00Z"])  # the site's zone unknown here
    assert (as_sent("2026-12-05T07:05:00Z"), as_sent.caption) == ("2026-12-05 07:05",
                                                                  "times in UTC+00:00")  # fmt: skip


def test_times_across_a_change_of_summer_time_each_say_their_offset() -> None:
    berlin = ZoneInfo("Europe/Berlin")  # summer time from 2026-03-29
    times = TableTimes(berlin, ["2026-03-28T09:00:00Z", "2026-03-30T09:00:00Z"])
    assert times.caption is None
    assert times("2026-03-28T09:00:00Z") == "2026-03-28 10:00 (UTC+01:00)"
    assert times("2026-03-30T09:00:00Z") == "2026-03-30 11:00 (UTC+02:00)"


TICKETS = [{
    "ticket_no": "HBW-202612-0001", "ticket_id": TICKET, "status": "received",
    "kind": "repair", "category": "plumbing", "received_at": "2026-12-05T07:21:00+08:00",
    "unit": "5-302", "sla": {"next_deadline": "2026-12-08T07:21:00+08:00", "overdue": True},
}, {  # the longest words a list of hbw shows: a busy month's number, a reopened complaint
    "ticket_no": "HBW-202612-10234", "ticket_id": "0c0ffee0-8253-55bd-afc5-cc2370cf18d6",
    "status": "reopened", "kind": "complaint", "category": "public_facility",
    "received_at": "2026-12-05T23:59:00+08:00", "unit": "12-2801",
    "sla": {"next_deadline": "2026-12-06T09:00:00+08:00", "overdue": True},
}, {
    "ticket_no": "HBW-202612-0042", "ticket_id": "5eed5eed-8253-55bd-afc5-cc2370cf18d6",
    "status": "classified", "kind": "suggestion", "category": None,
    "received_at": "2026-12-06T08:00:00+08:00", "unit": None, "sla": {},
}]  # fmt: skip
NUMBERS = [t["ticket_no"] for t in TICKETS]
REPLIES = {
    "desk.qry.hbw.ticket.list": {"ok": True, "next_cursor": None, "tickets": TICKETS},
    "desk.qry.hbw.ticket.search": {"ok": True, "more": False, "tickets": [
        {k: t[k] for k in ("ticket_no", "ticket_id", "status", "kind", "unit", "received_at")}
        for t in TICKETS]},
    "desk.qry.hbw.notice.list": {"ok": True, "notices": [{
        "notification_id": NOTICE, "raised_at": "2026-12-05T07:23:00+08:00",
        "ticket_no": "HBW-202612-0001", "order_no": "HBW-202612-0001-W1",
        "role": "department_supervisor", "department": "engineering",
        "reason": "clock_breached", "clock": "order_collected_household", "level": None,
        "due_at": "2026-12-05T07:23:00+08:00", "acknowledged_at": None,
        "acknowledged_by": None}], "next_cursor": None, "waiting": 1},
}  # fmt: skip


@pytest.fixture(autouse=True)
def desk(monkeypatch: pytest.MonkeyPatch) -> None:
    def request(url: str, subject: str, body: dict[str, Any]) -> dict[str, Any]:
        return REPLIES[subject]

    monkeypatch.setattr(common, "request", request)
    for command in (ticket, escalation, queues):  # the site directory, as if it were read
        monkeypatch.setattr(command, "site_zone", lambda site: SHANGHAI)


def run(columns: int, *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--site", "hbw"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    assert all(len(line) <= columns for line in result.output.splitlines()), result.output
    return result.output


def numbers(text: str) -> list[str]:
    """The ticket numbers that begin the table's rows, each whole on its row's first line."""
    return re.findall(r"^│ (HBW-[0-9]{6}-[0-9]+) +│", text, re.M)


@pytest.mark.parametrize("columns", [80, 100, 120])
@pytest.mark.parametrize("command", ["list", "search"])
def test_a_ticket_list_names_each_row_by_its_whole_number_at_80_to_120_columns(
    command: str, columns: int
) -> None:
    """What a desk user copies into the next command, or reads out to a caller, is the ticket
    number: every command takes it. So each row begins with it, whole, however narrow; the id
    it stands for (`--json`, `ticket show`) only where the table has room for it with every
    cell on one line (at 120 columns the list's times took that room before)."""
    extra = ("--staff", "HB-S01", "--room", "5-302") if command == "search" else ()
    text = run(columns, "ticket", command, *extra)
    assert numbers(text) == NUMBERS
    roomy = command == "search" and columns == 120  # its five columns and the id fit 120
    assert all((t["ticket_id"] in text) is roomy for t in TICKETS)
    assert "times in Asia/Shanghai, UTC+08:00" in text and "(UTC" not in text
    if columns == 120:  # room for each time on one line, which the id would have taken
        assert "2026-12-05 23:59" in text and "2026-12-06 08:00" in text


# the words of a ticket list's cells: its number, its one-word values, its times' dates and hours
ONE_WORD = {t[key] for t in TICKETS for key in ("status", "kind", "category") if t[key]}
TIMES = [at for t in TICKETS for at in (t["received_at"], t["sla"].get("next_deadline")) if at]
WORDS = {*NUMBERS, *ONE_WORD, "overdue", *(t[k] for t in TICKETS for k in ("unit", "ticket_id"))}
WORDS |= {at[:10] for at in TIMES} | {at[11:16] for at in TIMES}  # already in Shanghai's zone


def cell_words(text: str) -> list[str]:
    """The words in the table's cells, line by line (its header and frame left out)."""
    rows = [line.strip("│").split("│") for line in text.splitlines() if line.startswith("│")]
    return [word for row in rows for cell in row for word in cell.split()]


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("command", ["list", "search"])
def test_a_ticket_list_breaks_no_word_across_lines_at_80_and_120_columns(
    command: str, columns: int
) -> None:
    """A status, a kind, a category or a time broken over two lines (classifie/d, public_fa/
    cility, 2026-12-0/5) reads as two words that are neither; at 80 columns a status, kind or
    category that does not fit ends in "…" on its line instead, and at 120 every word is
    whole."""
    extra = ("--staff", "HB-S01", "--room", "5-302") if command == "search" else ()
    said = cell_words(run(columns, "ticket", command, *extra))
    cut = [word for word in said if word not in WORDS]
    assert all(w.endswith("…") and any(v.startswith(w[:-1]) for v in ONE_WORD) for w in cut), cut
    assert set(NUMBERS) <= set(said) and {"2026-12-05", "23:59"} <= set(said)
    assert cut == [] if columns == 120 else len(said) > len(cut)


def test_a_wide_terminal_shows_each_id_beside_its_number() -> None:
    text = run(160, "ticket", "list")
    for t in TICKETS:
        [row] = [line for line in text.splitlines() if t["ticket_no"] in line]
        assert t["ticket_id"] in row and t["received_at"][:10] in row


@pytest.mark.parametrize("columns", [80, 100])
def test_notice_list_on_a_narrow_terminal_is_a_block_per_notice_with_its_id_whole(
    columns: int,
) -> None:
    text = run(columns, "notice", "list")
    lines = text.splitlines()
    assert f"id             {NOTICE}" in lines[-4]  # the id `notice ack` takes, on one line
    assert "clock / level  order_collected_household" in text
    assert "2026-12-05 07:23" in text and "times in Asia/Shanghai, UTC+08:00" in lines[-2]
    assert lines[-1] == "1 waiting (not acknowledged, not ended)"


def test_notice_list_is_a_table_where_it_fits() -> None:
    text = run(240, "notice", "list")
    [row] = [line for line in text.splitlines() if NOTICE in line]
    assert "2026-12-05 07:23" in row and "clock_breached" in row


def test_notice_list_says_what_an_incident_and_a_promise_are_about_R16_5_R6_15(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    row = REPLIES["desk.qry.hbw.notice.list"]["notices"][0] | {"order_no": None, "clock": None}
    incident = {"kind": "fire", "place": "地下车库B2", "occurred_at": "2026-12-04T23:15:00Z"}
    what = "核实维修费用后回电说明" * 5
    promised = {"kind": "reply", "what": what, "ticket_no": "HBW-202612-0001"}
    fire = row | {"ticket_no": "HBW-INC-202612-001", "reason": "incident_alerted",
                  "incident": incident}  # fmt: skip
    promise = row | {"ticket_no": "p-1", "reason": "promise_overdue", "promise": promised}
    notices = {"ok": True, "notices": [fire, promise], "next_cursor": None, "waiting": 2}
    monkeypatch.setitem(REPLIES, "desk.qry.hbw.notice.list", notices)

    text = run(100, "notice", "list")

    assert "fire · 地下车库B2, 2026-12-05 07:15" in text  # when it happened, in the site's zone
    cut = "核实维修费用后回电说明" * 3 + "核实维修费用…"  # its first 40 characters
    assert f"reply:{cut}(HBW-202612-0001)" in "".join(text.split())


def test_notice_list_says_a_notice_ended_and_when_R6_3(monkeypatch: pytest.MonkeyPatch) -> None:
    row = REPLIES["desk.qry.hbw.notice.list"]["notices"][0]
    ended = row | {"ended": {"why": "cancelled", "at": "2026-12-05T01:00:00Z"}}
    reply = {"ok": True, "notices": [ended], "next_cursor": None, "waiting": 0}
    monkeypatch.setitem(REPLIES, "desk.qry.hbw.notice.list", reply)

    text = run(240, "notice", "list")

    assert "ended (ticket cancelled) 2026-12-05 09:00" in text  # in the site's zone


@pytest.mark.parametrize("why", KNOWN_ENDS)
def test_notice_list_says_every_end_in_words_not_as_its_code_R6_3(
    why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = REPLIES["desk.qry.hbw.notice.list"]["notices"][0]
    ended = row | {"ended": {"why": why, "at": "2026-12-05T01:00:00Z"}}
    reply = {"ok": True, "notices": [ended], "next_cursor": None, "waiting": 0}
    monkeypatch.setitem(REPLIES, "desk.qry.hbw.notice.list", reply)

    text = run(80, "notice", "list")  # a block: the end on its own line

    [said] = [line for line in text.splitlines() if line.startswith("acknowledged")]
    assert f"ended ({words.NOTICE_ENDS[why][1]}) 2026-12-05 09:00" in said
    assert f"({why})" not in said


def test_notice_list_says_an_end_it_has_no_words_for_as_its_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A code a later escalation added (the set is open, contract §20.2) is shown as it came."""
    row = REPLIES["desk.qry.hbw.notice.list"]["notices"][0]
    ended = row | {"ended": {"why": "roof_sealed", "at": "2026-12-05T01:00:00Z"}}
    reply = {"ok": True, "notices": [ended], "next_cursor": None, "waiting": 0}
    monkeypatch.setitem(REPLIES, "desk.qry.hbw.notice.list", reply)

    assert "ended (roof_sealed) 2026-12-05 09:00" in run(240, "notice", "list")


def test_notice_list_says_how_many_wait_and_how_to_ask_for_the_older_page_R6_3(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[dict[str, Any]] = []
    reply = REPLIES["desk.qry.hbw.notice.list"] | {"next_cursor": "41", "waiting": 305}

    def request(url: str, subject: str, body: dict[str, Any]) -> dict[str, Any]:
        asked.append(body)
        return reply

    monkeypatch.setattr(common, "request", request)

    text = run(240, "notice", "list", "--newest", "--cursor", "97", "--limit", "1")

    assert asked == [{"open": False, "limit": 1, "newest_first": True, "count": True,
                      "cursor": "97"}]  # fmt: skip
    assert "305 waiting (not acknowledged, not ended)" in text  # beyond this page of one
    assert "more: --cursor 41 --newest" in text
