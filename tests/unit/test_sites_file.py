"""The site directory decides which sites exist (docs/contract.md §16): `propdesk up` serves a
documented default, never whatever id a command names; a site added to the file is served at
once; an id that would publish personal data never becomes a site."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from propdesk.trust import default_directory, ensure_site_directory
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteConfig, SiteDirectory, WatchedDirectory


def test_up_without_a_sites_file_writes_and_serves_the_demos_three_sites(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)

    served = ensure_site_directory(settings, write_default=True)

    assert sorted(served.sites) == ["hbw", "tech-park", "xh-tower"]
    assert served.get("hwb") is None  # a typo opens no site
    assert SiteDirectory.load(tmp_path / "sites.json") == served == default_directory()


def test_only_up_writes_the_default_and_a_named_file_must_exist(tmp_path: Path) -> None:
    """`propdesk serve` and `nats config` never make up a production hub's sites."""
    with pytest.raises(ValueError, match="no site directory"):
        ensure_site_directory(Settings(data_dir=tmp_path))
    named = Settings(data_dir=tmp_path, sites_file=tmp_path / "none.json")
    with pytest.raises(ValueError, match="no site directory"):
        ensure_site_directory(named, write_default=True)
    assert not (tmp_path / "sites.json").exists()


def test_a_directory_that_would_serve_any_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sites.json"
    path.write_text(json.dumps({"strict": False, "sites": {"hbw": {}}}))

    with pytest.raises(ValueError, match="strict"):
        SiteDirectory.load(path)


@pytest.mark.parametrize("site", ["13912345678", "tel-13912345678"])
def test_a_site_id_that_looks_like_a_phone_never_becomes_a_site_R15_4(site: str) -> None:
    """A site id is in every subject, account and envelope of the site."""
    with pytest.raises(ValidationError, match="personal data"):
        SiteDirectory.model_validate({"sites": {site: {}}})


def test_a_site_added_to_the_file_is_served_without_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "sites.json"
    SiteDirectory(sites={"hbw": SiteConfig(name="华碧屋村")}).save(path)
    watched = WatchedDirectory(path)
    assert watched.get("nsq") is None

    SiteDirectory.load(path).with_site("nsq", SiteConfig(name="南山区")).save(path)
    os.utime(path, ns=(0, 10**18))  # a new modification time, however fast the test runs

    assert watched.get("nsq") is not None and watched.get("nsq").name == "南山区"  # type: ignore[union-attr]
    assert watched.get("hbw") is not None


def test_a_broken_file_keeps_the_last_good_directory(tmp_path: Path) -> None:
    path = tmp_path / "sites.json"
    SiteDirectory(sites={"hbw": SiteConfig()}).save(path)
    watched = WatchedDirectory(path)

    path.write_text("{ not json")
    os.utime(path, ns=(0, 10**18))

    assert watched.get("hbw") is not None
