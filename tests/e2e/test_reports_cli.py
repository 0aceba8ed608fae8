"""The site manager and the quality department at the command line, against `propdesk up`:
attach the month's analysis (R12.2), write the month's report files (R12.4), the quality pack."""

from __future__ import annotations

import json
import time

import openpyxl
import pytest

from tests.e2e.test_cli import cli, report

pytestmark = pytest.mark.e2e


def test_the_month_is_analysed_and_its_report_files_are_written(up, tmp_path) -> None:
    _, url, _ = up
    ticket_no = json.loads(report(url, "--json").stdout)["ticket_no"]
    month = f"{ticket_no[4:8]}-{ticket_no[8:10]}"  # HBW-YYYYMM-NNNN: the site's local month
    attached = cli(
        "report", "analysis", "--site", "hbw", "--month", month, "--staff", "HB-M01",
        "--cause", "水管老化", "--lessons", "定期巡检", "--actions", "更换立管", url=url,
    )  # fmt: skip
    assert attached.returncode == 0, attached.stderr
    assert "revision 1" in attached.stdout

    out = tmp_path / "reports"
    for _ in range(100):  # the analytics projection follows the stream a moment later
        written = cli("report", "monthly", "--site", "hbw", "--month", month,
                      "--out", str(out), url=url)  # fmt: skip
        assert written.returncode == 0, written.stderr
        data = json.loads((out / f"hbw-{month}-monthly.json").read_text(encoding="utf-8"))
        if data["contacts"] == 1 and data["analysis"]:
            break
        time.sleep(0.1)
    assert (data["by_kind"]["repair"], data["analysis"]["actions"]) == (1, "更换立管")
    assert "李四" not in json.dumps(data, ensure_ascii=False)
    for suffix in ("xlsx", "csv", "html"):
        assert (out / f"hbw-{month}-monthly.{suffix}").stat().st_size > 0
    sheet = openpyxl.load_workbook(out / f"hbw-{month}-monthly.xlsx").active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "更换立管" in cells

    quality = cli("report", "quality", "--month", month, "--format", "json",
                  "--out", str(out), url=url)  # fmt: skip
    assert quality.returncode == 0, quality.stderr
    pack = json.loads((out / f"company-{month}-quality.json").read_text(encoding="utf-8"))
    # every site of `up`'s default directory (README), the one with a contact among them
    assert [s["site"] for s in pack["sites"]] == ["hbw", "tech-park", "xh-tower"]
