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
# the headline of a form the contract's checks refused, the console's or the service's
CHECK_FIELDS = "请检查以下字段"


class Refused(Exception):
    """`fields`: the contract's field path (`field`) and what is wrong with it (`message`), each
    given the `form`'s `label` for it unless it has one (field_words.py) and the message as the
    desk reads it (`said`): a check the service names by pydantic's error `type` (with its
    `ctx`) in Chinese as the console says its own (field_message), a rule by refusal_words.py.
    `form`: the contract's command, by its class name."""

    def __init__(
        self, code: str, message: str, fields: list[dict[str, Any]] | None = None,
        form: str | None = None,
    ) -> None:  # fmt: skip
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = [_read(f, form) for f in fields or []]

    @classmethod
    def of_reply(cls, error: dict[str, Any], form: str | None = None) -> Refused:
        """A service's error reply (docs/contract.md §3). A body the contract's checks refused
        (every field names its pydantic type) reads as the console's own check of the form:
        its headline, then each field."""
        code = str(error.get("code", "invalid"))
        fields = list(error.get("fields") or [])
        message = str(error.get("message", ""))
        if code == "invalid" and fields and all(f.get("type") for f in fields):
            message = CHECK_FIELDS
        return cls(code, message, fields, form)

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


def _read(field: dict[str, Any], form: str | None) -> dict[str, Any]:
    path = str(field.get("field", ""))
    message = str(field.get("message", ""))
    if field.get("type"):  # the service's pydantic check, as the console reads its own
        loc = tuple(path.split("."))
        error = {"type": field["type"], "msg": message, "ctx": field.get("ctx"), "loc": loc}
        said = field_message(error, form)
    else:
        said = explained(message)
    return {**field, "label": field.get("label") or label(path, form), "said": said}


def field_message(error: dict[str, Any], form: str | None = None) -> str:
    """One of a form's field errors (pydantic's) in Chinese first, pydantic's or the contract's
    own words after them for whoever supports the desk; one the console does not know as said.
    `form`: the contract's command checked, which names its choices (field_words.py)."""
    if error.get("type") != "value_error":
        chinese = checked_in_chinese(error, form)
        return f"{chinese}（{error['msg']}）" if chinese else str(error["msg"])
    text = str((error.get("ctx") or {}).get("error") or error["msg"])
    return explained(text.removeprefix("Value error, "))
