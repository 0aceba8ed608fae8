"""The CLI's default client reference is accepted by intake every time."""

from __future__ import annotations

import base64
from uuid import UUID

import pytest

from propdesk.cli import common
from propdesk.cli.common import new_client_ref
from shared.contracts.commands import ReportContact
from shared.kernel.personal import looks_personal
from shared.messaging.publishing import mask


def test_a_new_client_ref_never_looks_like_a_phone_number_R15_4() -> None:
    refs = {new_client_ref() for _ in range(20_000)}
    assert len(refs) == 20_000
    assert all(mask(ref) == ref for ref in refs)  # intake refuses a ref that masking changes
    body = {"client_ref": refs.pop(), "channel": "visit", "kind": "inquiry",
            "content": "物业费怎么交", "staff_id": "S01",
            "reporter": {"name": "王", "phone": None}}  # fmt: skip
    assert ReportContact.model_validate(body).client_ref.startswith("desk-")


def test_a_client_ref_that_reads_as_a_wechat_id_is_drawn_again_R15_4(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`desk-wxid…` reads as a WeChat id to intake (one draw in 500,000): the CLI draws again."""
    wechat = UUID(bytes=b"\xb5\xd0\x30" + bytes(13))  # base32: wxidaaaa…
    plain = UUID(bytes=bytes(16))
    draws = iter([wechat, plain])
    monkeypatch.setattr(common, "uuid4", lambda: next(draws))
    assert looks_personal("desk-" + base64.b32encode(wechat.bytes).decode().rstrip("=").lower())
    assert new_client_ref() == "desk-" + "a" * 26
