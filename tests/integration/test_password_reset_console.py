"""账号管理 over HTTP (docs/CONSOLE.md "Signing in"): a supervisor resets a colleague's forgotten
password and is shown a one-time password once; it signs the colleague in once, to the password
page only; whoever may not reset (an assistant; anyone, the manager; oneself; another site's
staff; a form without its CSRF token) is refused and nothing changes. The hub's operator resets
with `propdesk console reset-password`, the same way."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from propdesk.cli.main import app
from services.console.domain.accounts import FIRST_RUN_PASSWORD as FIRST_RUN
from services.console.entrypoint import ConsoleProcess
from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import csrf_of

pytestmark = pytest.mark.integration

STAFF = {
    "hbw": {"staff": {
        "HB-M01": {"role": "project_manager", "name": "李主任"},
        "HB-CSS": {"role": "cs_supervisor", "name": "吴静"},
        "HB-CS1": {"role": "cs_assistant", "name": "刘洋"},
        "HB-S01": {"role": "receptionist", "name": "王芳"},
    }},
    "tech-park": {"staff": {"TP-S01": {"role": "receptionist"}}},
}  # fmt: skip
SITES = SiteDirectory.model_validate({"sites": STAFF})
CHOSEN = {"HB-M01": "manager-pass-1", "HB-CSS": "supervisor-pass-1", "HB-CS1": "assistant-pass-1"}


@pytest.fixture
async def console(settings, clock, nats_server) -> AsyncIterator[tuple[str, ConsoleProcess]]:
    process = ConsoleProcess(settings, clock, SITES)
    base = await process.start(nats_server.url)
    yield base, process
    await process.stop()


async def sign_in(base: str, staff: str, password: str, site: str = "hbw") -> httpx.AsyncClient:
    """A client of `staff`, signed in (to the password page, if that is where it leads); the
    sign-in's answer is its `last`."""
    client = httpx.AsyncClient(base_url=base, timeout=10)
    page = await client.get("/login")
    form = {"csrf": csrf_of(page.text), "site": site, "staff_id": staff, "password": password}
    client.last = await client.post("/login", data=form)  # type: ignore[attr-defined]
    return client


async def where(base: str, staff: str, password: str, site: str = "hbw") -> str:
    """Where signing in with `password` leads: /password, /, or the refusal's message."""
    client = await sign_in(base, staff, password, site)
    try:
        to = client.last.headers["location"]  # type: ignore[attr-defined]
        return to if to in ("/", "/password") else to.split("m=", 1)[1]
    finally:
        await client.aclose()


async def chosen(base: str, staff: str) -> httpx.AsyncClient:
    """`staff` signed in with the first-run password and chose theirs (CHOSEN): their client."""
    client = await sign_in(base, staff, FIRST_RUN)
    page = await client.get("/password")
    new = CHOSEN[staff]
    changed = await client.post("/password", data={
        "csrf": csrf_of(page.text), "old": FIRST_RUN, "new": new, "repeat": new})  # fmt: skip
    assert changed.headers["location"] == "/", changed.text[:300]
    return client


WRONG = "%E5%B7%A5%E5%8F%B7%E6%88%96%E5%AF%86%E7%A0%81%E9%94%99%E8%AF%AF"  # 工号或密码错误, quoted


def one_time_of(html: str) -> str:
    found = re.search(r'id="one-time-password">([^<]+)<', html)
    assert found, html[:800]
    return found.group(1)


async def test_a_supervisor_resets_an_assistant_who_signs_in_once_to_choose_a_new_password(
    console: tuple[str, ConsoleProcess],
) -> None:
    base, _ = console
    assistant, supervisor = await chosen(base, "HB-CS1"), await chosen(base, "HB-CSS")
    try:
        page = await supervisor.get("/accounts")
        assert page.status_code == 200 and 'href="/accounts"' in page.text, page.text[:500]
        offered = set(re.findall(r'name="staff_id" value="([^"]+)"', page.text))
        assert offered == {"HB-CS1", "HB-S01"}  # not the manager, not herself
        reset = await supervisor.post(
            "/accounts/reset", data={"csrf": csrf_of(page.text), "staff_id": "HB-CS1"}
        )
        assert reset.status_code == 200 and reset.headers["cache-control"] == "no-store"
        assert "把临时密码当面或电话告知本人" in reset.text and "仅可使用一次" in reset.text
        one_time = one_time_of(reset.text)

        gone = await assistant.get("/password")  # the assistant's old session ended
        assert gone.status_code == 303 and gone.headers["location"].startswith("/login")
        assert await where(base, "HB-CS1", CHOSEN["HB-CS1"]) == WRONG
        assert await where(base, "HB-CS1", FIRST_RUN) == WRONG  # never the public password

        back = await sign_in(base, "HB-CS1", one_time)
        try:
            assert back.last.headers["location"] == "/password"  # type: ignore[attr-defined]
            held = await back.get("/desk")
            assert held.status_code == 303 and held.headers["location"] == "/password"
            page = await back.get("/password")
            new = "assistant-pass-2"
            form = {"csrf": csrf_of(page.text), "old": one_time, "new": new, "repeat": new}
            changed = await back.post("/password", data=form)
            assert changed.headers["location"] == "/", changed.text[:300]
        finally:
            await back.aclose()
        assert await where(base, "HB-CS1", one_time) == WRONG  # used once
        assert await where(base, "HB-CS1", "assistant-pass-2") == "/"

        listed = (await supervisor.get("/accounts")).text
        resets = re.search(r'<table id="resets">(.*?)</table>', listed, re.S).group(1)  # type: ignore[union-attr]
        assert "HB-CS1 刘洋" in resets and "HB-CSS 吴静" in resets
        assert one_time not in listed  # shown once, on the reset's own answer
    finally:
        await assistant.aclose()
        await supervisor.aclose()


async def test_an_assistant_can_neither_open_account_management_nor_post_a_reset(
    console: tuple[str, ConsoleProcess],
) -> None:
    base, process = console
    assistant = await chosen(base, "HB-CS1")
    try:
        page = await assistant.get("/password")
        assert 'href="/accounts"' not in page.text  # not in the assistant's menu
        refused = await assistant.get("/accounts")
        assert refused.status_code == 403 and "此页面不属于辖区客服助理的工作" in refused.text
        posted = await assistant.post(
            "/accounts/reset", data={"csrf": csrf_of(page.text), "staff_id": "HB-S01"}
        )
        assert posted.status_code == 403 and "未保存任何内容" in posted.text
        assert 'id="one-time-password"' not in posted.text
    finally:
        await assistant.aclose()
    assert process.store is not None and process.store.resets("hbw") == []
    assert await where(base, "HB-S01", FIRST_RUN) == "/password"  # untouched


async def test_nobody_resets_the_manager_themselves_or_another_sites_staff_nor_without_csrf(
    console: tuple[str, ConsoleProcess],
) -> None:
    base, process = console
    manager, supervisor = await chosen(base, "HB-M01"), await chosen(base, "HB-CSS")
    try:
        csrf = csrf_of((await supervisor.get("/accounts")).text)
        for staff, words in (("HB-M01", "项目经理的密码只能由系统运维人员"),
                             ("HB-CSS", "不能重置自己的密码"),
                             ("TP-S01", "工号 TP-S01 不在本项目员工名单中")):  # fmt: skip
            reply = await supervisor.post("/accounts/reset", data={"csrf": csrf, "staff_id": staff})
            assert reply.status_code == 403 and words in reply.text, reply.text[:800]
            assert 'id="one-time-password"' not in reply.text
        page = await manager.get("/accounts")
        own = await manager.post(
            "/accounts/reset", data={"csrf": csrf_of(page.text), "staff_id": "HB-M01"}
        )
        assert own.status_code == 403 and "不能重置自己的密码" in own.text
        for forged in ({}, {"csrf": "forged"}):
            reply = await supervisor.post("/accounts/reset", data={"staff_id": "HB-CS1", **forged})
            assert reply.status_code == 403 and "CSRF 校验失败" in reply.text
        assert (await supervisor.get("/accounts")).status_code == 200  # still signed in
    finally:
        await manager.aclose()
        await supervisor.aclose()
    assert process.store is not None and process.store.resets("hbw") == []
    assert process.store.resets("tech-park") == []
    assert await where(base, "HB-M01", CHOSEN["HB-M01"]) == "/"
    assert await where(base, "HB-CS1", FIRST_RUN) == "/password"
    assert await where(base, "TP-S01", FIRST_RUN, site="tech-park") == "/password"


async def test_the_operator_resets_the_manager_from_the_cli_with_a_one_time_password(
    console: tuple[str, ConsoleProcess], settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _ = console
    sites = tmp_path / "console-sites.json"
    sites.write_text(json.dumps({"sites": STAFF}), encoding="utf-8")
    monkeypatch.setenv("PROPDESK_SITES_FILE", str(sites))
    manager = await chosen(base, "HB-M01")
    try:
        argv = ["console", "reset-password", "--site", "hbw", "--staff", "HB-M01",
                "--data-dir", str(settings.data_dir)]  # fmt: skip
        result = CliRunner().invoke(app, argv)
        assert result.exit_code == 0, result.output
        assert "password forgotten" in result.output and FIRST_RUN not in result.output
        one_time = re.search(r"one-time password: (\S+)", result.output).group(1)  # type: ignore[union-attr]
        gone = await manager.get("/password")
        assert gone.status_code == 303 and gone.headers["location"].startswith("/login")
    finally:
        await manager.aclose()
    assert await where(base, "HB-M01", CHOSEN["HB-M01"]) == WRONG
    assert await where(base, "HB-M01", FIRST_RUN) == WRONG  # the open door stays shut
    assert await where(base, "HB-M01", one_time) == "/password"
    assert await where(base, "HB-M01", one_time) == WRONG  # once

    supervisor = await chosen(base, "HB-CSS")
    try:
        listed = (await supervisor.get("/accounts")).text
        assert "系统运维人员（命令行）" in listed  # who reset the manager, as recorded
    finally:
        await supervisor.aclose()
