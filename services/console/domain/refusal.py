"""A request the desk was refused, or could not get answered, as the console tells the person:
the contract's error code (docs/contract.md §3) in Chinese, then the service's own words (the
rules the desk meets in Chinese first: refusal_words.py)."""

from __future__ import annotations

import secrets
import string
from typing import Any

from services.console.domain.field_words import checked_in_chinese, label
from services.console.domain.refusal_words import explained
from services.console.domain.words import word


def new_key(prefix: str = "console-") -> str:
    """A fresh command_id or client_ref: letters only, since a key is published and digits can
    look like a phone number, which a published key may not (docs/contract.md §14)."""
    return prefix + "".join(secrets.choice(string.ascii_lowercase) for _ in range(24))


# the page's HTTP status for a refusal the person can correct on the same page
STATUS = {"not_found": 404, "conflict": 409, "forbidden": 403}


class Refused(Exception):
    """`fields`: the contract's field path (`field`) and what is wrong with it (`message`), each
    given the form's `label` for it unless it has one (field_words.py) and the message as the
    desk reads it (`said`, refusal_words.py)."""

    def __init__(self, code: str, message: str, fields: list[dict[str, str]] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = [
            {
                **f,
                "label": f.get("label") or label(str(f.get("field", ""))),
                "said": explained(str(f.get("message", ""))),
            }
            for f in fields or []
        ]

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 400)

    @property
    def headline(self) -> str:
        """The code and the message, for a page that lists the fields underneath."""
        return self._said()

    def _said(self) -> str:
        """The code's words, then the message's — once: a message that already says what the
        code says (找不到工单：…) is not preceded by it (找不到该记录：)."""
        said = explained(self.message)
        if self.code == "not_found" and said.startswith("找不到"):
            return said
        return f"{word('error', self.code)}：{said}"

    @property
    def listed(self) -> list[dict[str, str]]:
        """The fields a page lists under the headline: those it does not already say."""
        return [f for f in self.fields if f.get("message") != self.message]

    @property
    def shown(self) -> str:
        """The whole refusal as one line: each field by its label, in Chinese first."""
        details = "；".join(
            f"{f['label']}：{f['said']}" if f["label"] else f["said"] for f in self.listed
        )
        return self._said() + (f"（{details}）" if details else "")


def field_message(error: dict[str, Any], form: str | None = None) -> str:
    """One of a form's field errors (pydantic's) in Chinese first, pydantic's or the contract's
    own words after them for whoever supports the desk; one the console does not know as said.
    `form`: the contract's command checked, which names its choices (field_words.py)."""
    if error.get("type") != "value_error":
        chinese = checked_in_chinese(error, form)
        return f"{chinese}（{error['msg']}）" if chinese else str(error["msg"])
    text = str((error.get("ctx") or {}).get("error") or error["msg"])
    return explained(text.removeprefix("Value error, "))
