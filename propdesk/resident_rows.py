"""A site's owner file from a spreadsheet (XLSX or CSV) as the resident file's commands
(docs/RESIDENTS.md, contract §29): one row per resident, the first row naming the columns.
Every row is checked against the contract's models before anything is sent, so a file with a bad
row is refused whole, each bad row named."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from shared.contracts.resident_commands import RegisterResident, RegisterUnit

# a column's name as a site's file may spell it -> the field
COLUMNS = {
    "resident_ref": "resident_ref", "档案编号": "resident_ref",
    "kind": "kind", "类别": "kind",
    "name": "name", "姓名": "name", "业主姓名": "name",
    "phone": "phone1", "phone1": "phone1", "电话": "phone1", "电话1": "phone1",
    "phone2": "phone2", "电话2": "phone2", "phone3": "phone3", "电话3": "phone3",
    "household": "household", "家庭成员": "household",
    "special_care": "special_care", "特殊关怀": "special_care",
    "care_note": "care_note", "关怀说明": "care_note",
    "unit_ref": "unit_ref", "房屋编号": "unit_ref",
    "building": "building", "楼栋": "building",
    "room": "room", "房号": "room",
    "zone": "zone", "组团": "zone", "辖区": "zone",
}  # fmt: skip
KINDS = {"业主": "owner", "租户": "tenant", "住户": "occupant", "使用人": "occupant",
         "企业": "enterprise"}  # fmt: skip
CARE = {"独居老人": "elderly_alone", "残疾人": "disabled", "其他": "other", "是": "other"}
# a 特殊关怀 column kept as a yes/no flag: "否" is no special care (关怀说明 says what the care is)
NO_CARE = frozenset({"否", "无", "no", "false", "0"})


@dataclass
class Plan:
    """What a file asks for: the units to register, the residents to register, the bad rows."""

    units: list[dict[str, Any]] = field(default_factory=list)
    residents: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of the first sheet (XLSX) or of the CSV (UTF-8, BOM or not), by column name."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        table = [["" if v is None else str(v).strip() for v in row]
                 for row in sheet.iter_rows(values_only=True)]  # fmt: skip
    else:
        with path.open(encoding="utf-8-sig", newline="") as f:
            table = [[v.strip() for v in row] for row in csv.reader(f)]
    if not table:
        return []
    header = [COLUMNS.get(h.strip().lower(), COLUMNS.get(h.strip(), "")) for h in table[0]]
    return [
        {name: value for name, value in zip(header, row, strict=False) if name and value}
        for row in table[1:]
        if any(row)
    ]


def plan(rows: list[dict[str, str]], staff_id: str) -> Plan:
    found = Plan()
    units: dict[str, dict[str, Any]] = {}
    for n, row in enumerate(rows, start=2):  # row 1 names the columns
        resident = _resident(row)
        unit = _unit(row)
        try:
            RegisterResident.model_validate(resident | {"staff_id": staff_id})
            if unit is not None:
                RegisterUnit.model_validate(unit | {"staff_id": staff_id})
        except ValidationError as exc:
            what = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            found.errors.append(f"row {n}: {what}")
            continue
        if unit is not None:
            units.setdefault(unit["unit_ref"], unit)
        found.residents.append(resident)
    found.units = list(units.values())
    return found


def _resident(row: dict[str, str]) -> dict[str, Any]:
    household = []
    for part in row.get("household", "").replace("；", ";").replace("，", ",").split(";"):
        name, _, relation = part.strip().partition("/")
        if name.strip():
            household.append({"name": name.strip(), "relation": relation.strip() or None})
    care = row.get("special_care")
    if care is not None and care.strip().lower() in NO_CARE:
        care = None
    body = {
        "resident_ref": row.get("resident_ref"), "name": row.get("name"),
        "kind": KINDS.get(row.get("kind", ""), row.get("kind", "owner")),
        "phones": [row[p] for p in ("phone1", "phone2", "phone3") if row.get(p)],
        "household": household, "special_care": CARE.get(care, care) if care else None,
        "care_note": row.get("care_note"), "unit_ref": _unit_ref(row),
    }  # fmt: skip
    return {k: v for k, v in body.items() if v is not None}


def _unit_ref(row: dict[str, str]) -> str | None:
    if row.get("unit_ref"):
        return row["unit_ref"]
    if row.get("room"):
        return f"{row['building']}-{row['room']}" if row.get("building") else row["room"]
    return None


def _unit(row: dict[str, str]) -> dict[str, Any] | None:
    ref = _unit_ref(row)
    if ref is None:
        return None
    unit = {"unit_ref": ref, "building": row.get("building"), "room": row.get("room") or ref,
            "zone": row.get("zone")}  # fmt: skip
    return {k: v for k, v in unit.items() if v is not None}
