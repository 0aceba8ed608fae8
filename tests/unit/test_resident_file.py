"""The resident and unit file's domain and contracts (R16.2–R16.4, R11.10, R1.6;
docs/RESIDENTS.md): no I/O, no bus."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from services.console.domain import screens
from services.intake.adapters.translate_residents import resident_envelope
from services.intake.domain.care_roll import CareRoll
from services.intake.domain.resident import Resident, Unit, resident_id_for, unit_id_for
from shared.contracts.resident_commands import LookupCaller, RegisterResident, RegisterUnit
from shared.kernel.refusals import RuleError
from shared.kernel.residents import ResidentConfig
from shared.kernel.sites import SiteConfig
from shared.kernel.staff import PERMISSIONS

AT = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
META = {"actor": "S01", "correlation_id": "c-1", "causation_id": None}
DETAILS = {"kind": "owner", "name": "张阿婆", "phones": ["13911112222", "075588886666"],
           "household": [{"name": "李护工", "relation": "carer"}],
           "special_care": "elderly_alone", "care_note": None}  # fmt: skip


def unit(ref: str = "3-1201", kind: str = "room") -> Unit:
    return Unit.register(at=AT, site="hbw", unit_ref=ref, place_kind=kind, building="3栋",
                         room="1201" if kind == "room" else None, zone="A区", **META)  # fmt: skip


def resident(details: dict | None = None) -> Resident:
    return Resident.register(at=AT, site="hbw", resident_ref="HBW-0001",
                             details=details or DETAILS, meta=META)  # fmt: skip


def test_ids_are_the_sites_refs_so_a_repeat_names_the_same_unit_and_resident_R16_2() -> None:
    assert unit().id == unit_id_for("hbw", "3-1201") != unit_id_for("tech-park", "3-1201")
    assert resident().id == resident_id_for("hbw", "HBW-0001")


def test_a_resident_moves_in_and_out_and_the_unit_knows_who_lives_there_R16_3() -> None:
    home, owner = unit(), resident()
    owner.move_in(home, on="2026-12-03", at=AT, meta=META)
    assert owner.units == {str(home.id): "3-1201"} and home.residents == [owner.id]
    with pytest.raises(RuleError, match="already"):
        owner.move_in(home, on="2026-12-03", at=AT, meta=META)
    owner.move_out(home, on="2026-12-04", at=AT, meta=META)
    assert owner.units == {} and home.residents == []
    with pytest.raises(RuleError, match="does not live"):
        owner.move_out(home, on="2026-12-04", at=AT, meta=META)


def test_nobody_lives_in_a_public_area_R16_4() -> None:
    with pytest.raises(RuleError, match="public area"):
        resident().move_in(unit("3-lobby", "lobby"), on="2026-12-03", at=AT, meta=META)


def test_a_correction_is_recorded_only_when_something_changed_R16_2() -> None:
    owner = resident()
    assert owner.correct(at=AT, meta=META, details=dict(DETAILS)) is False
    assert owner.correct(at=AT, meta=META, details=DETAILS | {"phones": ["13911112222"]})
    assert owner.phones == ["13911112222"] and len(owner.collect_events()) == 2
    home = unit()
    assert home.correct(at=AT, meta=META, place_kind="room", building="3栋", room="1201",
                        zone="A区") is False  # fmt: skip
    assert home.correct(at=AT, meta=META, place_kind="room", building="3栋", room="1202",
                        zone="A区")  # fmt: skip


def test_only_a_special_care_resident_is_visited_R11_10() -> None:
    owner = resident()
    owner.visit(at=AT, meta=META, note="身体良好")
    assert owner.care_visits == [
        {"visited_at": AT, "recorded_at": AT, "staff_id": "S01", "note": "身体良好"}
    ]
    plain = resident(DETAILS | {"special_care": None})
    with pytest.raises(RuleError, match="not flagged"):
        plain.visit(at=AT, meta=META, note=None)


def test_the_wait_for_a_visit_runs_from_the_flag_or_the_last_visit_made_R11_10() -> None:
    """As escalation's visit clock: from being flagged, and again from each visit as made — a
    visit entered three days late (made at `visited_at`) moves the next due date by when it was
    made; one entered late but made before the visit the wait runs from moves nothing."""
    made, later = AT + timedelta(days=17), AT + timedelta(days=20)
    owner = resident()
    assert owner.visit_clock_from == AT  # flagged when registered
    owner.visit(at=later, meta=META, note="上门探访", visited_at=made)
    assert owner.visit_clock_from == made and owner.care_visits[-1]["recorded_at"] == later
    config = ResidentConfig()
    assert config.visit_due(owner.visit_clock_from) == made + timedelta(days=30)
    owner.visit(at=later + timedelta(hours=1), meta=META, note="补录", visited_at=AT)
    assert owner.visit_clock_from == made  # an older visit entered after: listed, no move
    owner.correct(at=later, meta=META, details=DETAILS | {"special_care": None})
    assert owner.visit_clock_from is None  # no longer flagged: nothing to wait for
    flagged = AT + timedelta(days=40)
    owner.correct(at=flagged, meta=META, details=DETAILS | {"special_care": "disabled"})
    assert owner.visit_clock_from == flagged  # flagged again: a new wait
    owner.correct(at=AT + timedelta(days=75), meta=META, details=DETAILS | {"care_note": "轮椅"})
    assert owner.visit_clock_from == flagged  # still flagged, even overdue: the wait goes on
    plain = resident(DETAILS | {"special_care": None})
    assert plain.visit_clock_from is None and plain.care_visits == []


def test_the_published_visit_says_when_it_was_made_R11_10() -> None:
    owner = resident()
    made = AT + timedelta(days=3)
    owner.visit(at=made + timedelta(days=3), meta=META, note="张阿婆身体好", visited_at=made)
    visited = resident_envelope(owner.collect_events()[-1])
    assert visited is not None and visited.event_type == "resident.care_visited"
    assert visited.schema_version == 2 and visited.data.visited_at == made
    assert visited.visited_at() == made and visited.occurred_at == made + timedelta(days=3)
    assert "张阿婆" not in visited.model_dump_json()  # the note stays in intake


def test_what_is_published_names_nobody_and_not_why_they_need_care_R11_10_R15_4() -> None:
    home, owner = unit(), resident()
    owner.move_in(home, on="2026-12-03", at=AT, meta=META)
    owner.correct(at=AT, meta=META, details=DETAILS | {"phones": ["13911112222"]})
    events = [*home.collect_events(), *owner.collect_events()]
    published = [p for p in map(resident_envelope, events) if p is not None]
    types = [p.event_type for p in published]
    assert types == [
        "unit.registered",
        "resident.registered",
        "resident.moved_in",
        "resident.corrected",
    ]  # fmt: skip (the unit's occupancy is intake's own)
    raw = json.dumps([p.model_dump(mode="json") for p in published])
    for secret in ("张阿婆", "李护工", "13911112222", "elderly_alone"):
        assert secret not in raw
    assert published[1].data.special_care is True  # the flag travels, not why


def test_the_commands_check_what_they_are_given_R16_3_R16_4() -> None:
    base = {"staff_id": "S01", "resident_ref": "HBW-0001", "kind": "tenant", "name": "王"}
    with pytest.raises(ValidationError, match="twice"):
        RegisterResident(**base, phones=["139 1111 2222", "+86 13911112222"])
    with pytest.raises(ValidationError):
        RegisterResident(**base, phones=[])
    with pytest.raises(ValidationError):
        RegisterResident(**base | {"kind": "visitor"}, phones=["13911112222"])  # R1.6: no file
    with pytest.raises(ValidationError, match=r"personal|phone"):
        RegisterResident(**base | {"resident_ref": "13911112222"}, phones=["13911112222"])
    with pytest.raises(ValidationError, match="needs its room"):
        RegisterUnit(staff_id="S01", unit_ref="3-1201")
    assert RegisterUnit(staff_id="S01", unit_ref="3-roof", place_kind="roof").room is None
    with pytest.raises(ValidationError, match="one of phone, unit_ref or resident_ref"):
        LookupCaller(staff_id="S01")
    with pytest.raises(ValidationError, match="one of phone, unit_ref or resident_ref"):
        LookupCaller(staff_id="S01", unit_ref="3-1201", resident_ref="HBW-0001")


def test_two_phones_are_advised_and_a_site_may_require_them_R16_3() -> None:
    assert ResidentConfig().required_phones == 1 and ResidentConfig().recommended_phones == 2
    strict = SiteConfig.model_validate({"residents": {"required_phones": 2}})
    assert strict.residents.required_phones == 2 and strict.residents.care_visit_days == 30


def test_the_care_roll_lists_whoever_needs_special_care_now_R11_10() -> None:
    owner = resident()
    roll = CareRoll.start("hbw", AT)
    assert roll.keep(owner, AT) and roll.residents == [owner.id]
    assert roll.keep(owner, AT) is False  # listed once
    owner.correct(at=AT, meta=META, details=DETAILS | {"special_care": None})
    assert roll.keep(owner, AT) and roll.residents == []
    assert resident_envelope(roll.collect_events()[-1]) is None  # intake's own


def test_the_care_visit_reminder_goes_to_a_role_that_keeps_the_resident_file_R11_10() -> None:
    """The reminder links to the resident's card, where the visit is recorded: a role refused the
    file (the CS supervisor, quality, a technician) would be told and could not act on it."""
    for keeper in PERMISSIONS["resident.file"].roles:  # and the console opens the card to them
        assert screens.RESIDENTS in screens.menu(keeper.value)
    manager = SiteConfig.model_validate({"residents": {"care_visit_role": "project_manager"}})
    assert manager.residents.care_visit_role == "project_manager"
    for role in ("cs_supervisor", "quality", "technician"):
        with pytest.raises(ValidationError, match="care_visit_role must keep the resident file"):
            SiteConfig.model_validate({"residents": {"care_visit_role": role}})
