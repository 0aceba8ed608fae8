"""The CLI's default client reference is accepted by intake every time."""

from __future__ import annotations

from propdesk.cli.common import new_client_ref
from shared.contracts.commands import ReportContact
from shared.publishing import mask


def test_a_new_client_ref_never_looks_like_a_phone_number_R15_4() -> None:
    refs = {new_client_ref() for _ in range(20_000)}
    assert len(refs) == 20_000
    assert all(mask(ref) == ref for ref in refs)  # intake refuses a ref that masking changes
    body = {"client_ref": refs.pop(), "channel": "visit", "kind": "inquiry",
            "content": "物业费怎么交", "staff_id": "S01",
            "reporter": {"name": "王", "phone": None}}  # fmt: skip
    assert ReportContact.model_validate(body).client_ref.startswith("desk-")
