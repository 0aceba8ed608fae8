"""`propdesk residents import`: a site's owner file (XLSX or CSV) as the resident file's commands,
a file with a bad row refused whole (R16.2, R16.3; docs/RESIDENTS.md)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from propdesk.resident_rows import plan, read_rows

HEADER = [
    "档案编号",
    "类别",
    "姓名",
    "电话1",
    "电话2",
    "家庭成员",
    "特殊关怀",
    "楼栋",
    "房号",
    "组团",
]
ROWS = [
    [
        "HBW-0001",
        "业主",
        "张阿婆",
        "139 1111 2222",
        "",
        "李护工/护工",
        "独居老人",
        "3",
        "1201",
        "A区",
    ],
    ["HBW-0002", "租户", "王先生", "13800138000", "0755-8888 6666", "", "", "3", "1201", "A区"],
]


def test_an_owner_file_in_excel_becomes_units_and_residents_R16_2_R16_3(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (HEADER, *ROWS):
        sheet.append(row)
    path = tmp_path / "owners.xlsx"
    book.save(path)
    found = plan(read_rows(path), "HB-S01")
    assert found.errors == []
    assert found.units == [{"unit_ref": "3-1201", "building": "3", "room": "1201", "zone": "A区"}]
    first, second = found.residents
    assert first["kind"] == "owner" and first["special_care"] == "elderly_alone"
    assert first["household"] == [{"name": "李护工", "relation": "护工"}]
    assert first["phones"] == ["139 1111 2222"] and first["unit_ref"] == "3-1201"
    assert second["kind"] == "tenant" and len(second["phones"]) == 2


def test_a_csv_with_a_bad_row_names_it_and_plans_nothing_of_it(tmp_path: Path) -> None:
    path = tmp_path / "owners.csv"
    bad = ["13912345678", "访客", "", "", "", "", "", "", "", ""]  # a phone as ref, no name
    lines = [",".join(r) for r in (HEADER, ROWS[0], bad)]
    path.write_text("\ufeff" + "\n".join(lines), encoding="utf-8")
    found = plan(read_rows(path), "HB-S01")
    assert len(found.residents) == 1 and len(found.errors) == 1
    assert found.errors[0].startswith("row 3:") and "resident_ref" in found.errors[0]


def test_a_yes_no_special_care_column_is_read_as_such(tmp_path: Path) -> None:
    """Owner files often keep 特殊关怀 as 是/否: 否 is none, 是 is care of another kind."""
    path = tmp_path / "owners.csv"
    rows = [
        ["HBW-0101", "业主", "张三", "13911112222", "", "", "否", "3", "1201", "A"],
        ["HBW-0102", "业主", "王奶奶", "13922223333", "", "", "是", "5", "101", "B"],
    ]
    path.write_text("\n".join(",".join(r) for r in (HEADER, *rows)), encoding="utf-8")
    found = plan(read_rows(path), "HB-S01")
    assert found.errors == []
    assert "special_care" not in found.residents[0]
    assert found.residents[1]["special_care"] == "other"
