"""Base classes for published contracts: frozen, strict about unknown fields."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from shared.subjects import SITE_PATTERN


class Contract(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


SiteId = Annotated[str, StringConstraints(pattern=rf"^{SITE_PATTERN}$")]
StaffId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32, pattern=r"^[\w.-]+$")
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Key = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[\w.:/-]+$"),
]
