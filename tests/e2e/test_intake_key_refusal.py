"""`propdesk serve intake` with keys that cannot read intake's store: it says why and exits at
once with EX_CONFIG (78), which systemd is told not to restart, instead of failing in a loop."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from propdesk.trust import default_directory
from services.intake.application import IntakeApp
from shared.contracts.commands import ReportContact
from shared.eventstore.desk_app import CommandContext
from shared.eventstore.keyring import KeyRing, new_key
from shared.eventstore.store import store_env
from shared.kernel.clock import FixedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.natsd import free_port
from tests.integration.support import START, report_body

pytestmark = pytest.mark.e2e

PROPDESK = str(Path(sys.executable).parent / "propdesk")


def test_serve_with_a_wrong_key_exits_at_once_naming_the_key_the_store_needs(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path)
    default_directory().save(tmp_path / "sites.json")
    app = IntakeApp(store_env(settings, "intake"), FixedClock(START), SiteDirectory(strict=False))
    app.execute(CommandContext("hbw", "c"), ReportContact.model_validate(report_body()))
    app.close()
    [needed] = KeyRing.parse((tmp_path / "keys" / "intake.key").read_text()).ids
    wrong = KeyRing((new_key(),))

    done = subprocess.run(
        [PROPDESK, "serve", "intake", "--data-dir", str(tmp_path),
         "--nats-url", f"nats://127.0.0.1:{free_port()}"],
        env=os.environ | {"PROPDESK_INTAKE_KEY": wrong.current},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    said = " ".join(done.stderr.split())
    assert done.returncode == 78, said
    assert "propdesk could not start: intake's store cannot be read" in said
    assert (
        f"encrypted with key {needed}, which is not among the keys of PROPDESK_INTAKE_KEY" in said
    )
