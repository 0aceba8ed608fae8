"""Intake's blind index of callers (services/intake/application/contact_index.py): it follows
intake's own store, so the tickets recorded before it existed are found after the upgrade; it
keeps only keyed hashes (no name, phone or room in the file); after the store's key is rotated
it is built again under the new key."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from services.intake.application import IntakeApp
from services.intake.application.contact_index import ContactIndex
from shared.contracts.commands import ReportContact
from shared.eventstore.store import store_env
from shared.kernel.clock import FixedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from tests.integration.support import START, report_body
from tests.integration.test_personal_data_at_rest import CTX, found_in_files, keys

pytestmark = pytest.mark.integration
REPORTER = {"name": "李四", "phone": "139 1234 5678", "room": "5-302"}


def open_intake(data_dir: Path) -> IntakeApp:
    settings = Settings(data_dir=data_dir)
    return IntakeApp(store_env(settings, "intake"), FixedClock(START), SiteDirectory(strict=False))


def index_of(app: IntakeApp, path: Path) -> ContactIndex:
    return ContactIndex(path, app.mapper.cipher.ring, app.recorder, app.mapper)


def digests(path: Path) -> set[bytes]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return {r[0] for r in db.execute("SELECT digest FROM contacts")}


def test_tickets_recorded_before_the_index_existed_are_found_on_its_first_start(
    tmp_path: Path,
) -> None:
    app = open_intake(tmp_path)
    for ref in ("old-1", "old-2"):
        app.execute(CTX, ReportContact.model_validate(report_body(ref, reporter=REPORTER)))
    app.execute(CTX, ReportContact.model_validate(report_body("old-3")))  # someone else

    index = index_of(app, tmp_path / "intake-search.sqlite3")  # the upgrade: no index file yet
    found, more = index.find("hbw", [("phone", "13912345678")], limit=10)
    assert len(found) == 2 and not more
    assert index.find("hbw", [("name", "李四"), ("room", "5-302")], limit=10)[0] == found
    assert index.find("tech-park", [("phone", "13912345678")], limit=10)[0] == []
    index.close()
    app.close()
    assert found_in_files([tmp_path / "intake-search.sqlite3"], "李四", "13912345678",
                          "139 1234 5678", "5-302") == set()  # fmt: skip


def test_after_the_key_is_rotated_the_index_is_built_again_under_the_new_key(
    tmp_path: Path,
) -> None:
    path = tmp_path / "intake-search.sqlite3"
    app = open_intake(tmp_path)
    app.execute(CTX, ReportContact.model_validate(report_body("k-1", reporter=REPORTER)))
    index = index_of(app, path)
    [ticket], _ = index.find("hbw", [("phone", "13912345678")], limit=10)
    before = digests(path)
    index.close()
    app.close()

    assert keys("rotate", "intake", "--data-dir", str(tmp_path)).exit_code == 0
    app = open_intake(tmp_path)
    index = index_of(app, path)
    assert index.find("hbw", [("phone", "13912345678")], limit=10)[0] == [ticket]
    assert digests(path).isdisjoint(before)  # nothing hashed under the old key is left
    index.close()
    app.close()
