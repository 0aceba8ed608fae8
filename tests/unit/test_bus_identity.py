"""Identities on the bus (docs/contract.md §22): who sends what, the grants written into the
hub's configuration, the services' own check of the caller, and the credential files."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path

import pytest

from propdesk.trust import Hub, service_grants
from services.intake.entrypoint import from_desk
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteConfig, SiteDirectory
from shared.messaging.bus import BusAccess
from shared.messaging.client import identity_for
from shared.messaging.errors import DeskError
from shared.messaging.identity import Credentials, caller_account, inbox_prefix, public_key_of
from shared.messaging.natsconf import ANALYTICS_GRANT, OPS_GRANT, site_grant
from shared.messaging.natsd import nats_server_binary
from shared.messaging.service import _from_inside, _from_site


@pytest.mark.parametrize(
    ("subject", "identity"),
    [
        ("desk.cmd.hbw.intake.report", "site-hbw"),
        ("desk.qry.tech-park.ticket.list", "site-tech-park"),
        ("desk.ntf.hbw.project_manager", "site-hbw"),
        ("desk.qry.company.report.quality", "analytics"),
        ("desk.ops.reporting.switch", "ops"),
        ("desk.sim.clock.set", "ops"),
    ],
)
def test_a_subject_says_which_identity_sends_it(subject: str, identity: str) -> None:
    assert identity_for(subject) == identity


def test_a_subject_of_no_identity_is_refused() -> None:
    with pytest.raises(ValueError):
        identity_for("desk.evt")


def request_info(account: str) -> dict[str, str]:
    return {"Nats-Request-Info": json.dumps({"acc": account, "user": "U…", "rtt": 1})}


def test_a_command_comes_only_from_its_own_sites_desk_account() -> None:
    _from_site(request_info("SITE_hbw"), "desk.cmd.hbw.intake.report", "hbw")  # its own

    with pytest.raises(DeskError) as other:
        _from_site(request_info("SITE_ohs"), "desk.cmd.hbw.intake.report", "hbw")
    with pytest.raises(DeskError) as inside:  # from the services' account: no desk there
        _from_site({}, "desk.cmd.hbw.intake.report", "hbw")
    with pytest.raises(DeskError) as garbled:
        _from_site({"Nats-Request-Info": "not json"}, "desk.cmd.hbw.intake.report", "hbw")

    assert other.value.code == inside.value.code == garbled.value.code == "forbidden"
    assert "SITE_ohs" in other.value.message


def test_a_sites_query_may_also_come_from_inside_and_the_company_pack_only_from_inside() -> None:
    _from_site({}, "desk.qry.hbw.ticket.list", "hbw")
    _from_inside({}, "desk.qry.company.report.quality")

    with pytest.raises(DeskError):
        _from_site(request_info("SITE_ohs"), "desk.qry.hbw.ticket.list", "hbw")
    with pytest.raises(DeskError):
        _from_inside(request_info("SITE_hbw"), "desk.qry.company.report.quality")
    assert caller_account(None) is None


@pytest.mark.parametrize("name", ["resident.lookup", "resident.care_roll"])
def test_the_resident_file_goes_only_to_its_own_sites_desk_R15_2(name: str) -> None:
    """Unlike a site's other queries, not even from inside the services' account: the reply
    holds names and why a resident needs care (docs/RESIDENTS.md)."""
    from_desk(name, "hbw", request_info("SITE_hbw"))
    for headers in ({}, request_info("SITE_ohs")):
        with pytest.raises(DeskError) as refused:
            from_desk(name, "hbw", headers)
        assert refused.value.code == "forbidden" and f"{name} comes only from hbw's desk" in (
            refused.value.message
        )


def test_each_service_may_publish_only_its_own_events_and_keep_only_its_own_consumers() -> None:
    grants = service_grants()

    intake, dispatch = grants["intake"], grants["dispatch"]
    assert "desk.evt.*.ticket.reported" in intake.publish
    assert not any(".workorder." in s or ".escalation." in s for s in intake.publish)
    assert "desk.evt.*.workorder.issued" in dispatch.publish
    assert not any(".ticket." in s for s in dispatch.publish if s.startswith("desk.evt"))
    assert "$JS.API.CONSUMER.MSG.NEXT.DESK.intake-work-done" in intake.publish
    assert not any("dispatch-tickets" in s for s in intake.publish)
    assert "desk.ntf.*.*" in grants["escalation"].publish
    assert not any(s.startswith("desk.ntf") for s in intake.publish)
    assert "desk.cmd.*.intake.report" in intake.subscribe
    assert "desk.qry.*.ticket.get" in grants["reporting"].subscribe
    # each raises its own alerts, and reads DESK by direct get (once), creating nothing: a parked
    # event is retried from there, a corrupt view rebuilt
    for name, grant in grants.items():
        assert [s for s in grant.publish if s.startswith("desk.alert")] == [f"desk.alert.{name}"]
        assert grant.publish.count("$JS.API.DIRECT.GET.DESK") == 1, name
    # nobody may delete a stream or anyone's messages
    every = [s for g in grants.values() for s in g.publish]
    assert not any(".DELETE.DESK" in s and "CONSUMER" not in s for s in every)
    assert not any("STREAM.PURGE" in s or "STREAM.MSG.DELETE" in s for s in every)


def test_ops_and_analytics_create_no_consumer_and_read_nobody_elses_inbox() -> None:
    for grant, hears in (
        (OPS_GRANT, ("desk.alert.>", "_INBOX_ops.>")),  # ops also hears the alerts
        (ANALYTICS_GRANT, ("_INBOX_analytics.>",)),
    ):
        assert not any("CONSUMER.CREATE" in s or "CONSUMER.DURABLE" in s for s in grant.publish)
        assert not any(s.startswith("desk.cmd") for s in grant.publish)
        assert grant.subscribe == hears
    assert "$JS.API.DIRECT.GET.DESK" in ANALYTICS_GRANT.publish
    assert inbox_prefix("site-hbw") == "_INBOX"  # its own account: nobody else's replies there


def test_a_sites_desk_sends_and_hears_only_its_own_subjects() -> None:
    grant = site_grant("hbw")

    assert grant.publish == ("desk.cmd.hbw.>", "desk.qry.hbw.>")
    assert set(grant.subscribe) == {"_INBOX.>", "desk.ntf.hbw.>", "desk.evt.hbw.>"}


def test_the_generated_configuration_is_one_nats_server_accepts(tmp_path: Path) -> None:
    hub = Hub(Settings(data_dir=tmp_path))
    sites = SiteDirectory(sites={"hbw": SiteConfig(), "tech-park": SiteConfig()})
    config = hub.prepare(sites, hub.embedded_options(4999, max_store=10_000_000))
    text = config.read_text()

    checked = subprocess.run(
        [nats_server_binary(), "-t", "-c", str(config)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr + checked.stdout
    assert "no_auth_user" not in text  # nobody connects without a key
    assert '"accounts": ["SITE_tech-park"]' in text  # each site's subjects exported to it only
    assert hub.credentials.public_key("site-hbw") in text
    seeds = [p.read_text().strip() for p in hub.credentials.directory.glob("*.nk")]
    assert len(seeds) == 8 and not any(seed in text for seed in seeds)  # public keys only
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert '"max_file": 10000000' in text  # the limit the services read in their account info


def test_a_credential_is_issued_once_kept_across_restarts_rotated_and_revoked(
    tmp_path: Path,
) -> None:
    credentials = Credentials(tmp_path / "credentials")
    first = credentials.issue("site-hbw")
    key = public_key_of(first)

    assert credentials.issue("site-hbw") == first and public_key_of(first) == key  # kept
    assert credentials.public_key("site-hbw") == key and key.startswith("U")
    credentials.issue("site-hbw", replace=True)
    assert credentials.public_key("site-hbw") != key  # rotated: the old key is gone
    assert credentials.revoke("site-hbw") and credentials.public_key("site-hbw") is None
    assert not credentials.revoke("site-hbw")
    assert credentials.issue_unless_revoked("site-hbw") is None  # no restart reissues it
    credentials.issue("site-hbw", replace=True)  # the operator issues it again
    assert credentials.public_key("site-hbw") is not None and not credentials.is_revoked("site-hbw")
    with pytest.raises(ValueError):
        credentials.path("site-HBW")  # no such identity


def test_a_cluster_is_reached_through_every_url_the_setting_lists(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PROPDESK_NATS_URL names every node of a cluster (deploy/cluster/), comma separated: the
    client tries them all, and over TLS when one of them says tls://."""
    urls = "tls://nats-1.example:4222, tls://nats-2.example:4222,tls://nats-3.example:4222"
    monkeypatch.setenv("PROPDESK_NATS_URL", urls)
    monkeypatch.setenv("PROPDESK_STREAM_REPLICAS", "3")
    settings = Settings()
    assert settings.nats_url is not None

    access = BusAccess(settings.nats_url, "intake", None)

    assert access.options()["servers"] == [f"tls://nats-{n}.example:4222" for n in (1, 2, 3)]
    assert "tls" in access.options()
    assert settings.stream_replicas == 3
