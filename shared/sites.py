"""Per-site configuration with documented defaults (policies as data, not code)."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.contracts.vocabulary import DEFAULT_CATEGORIES
from shared.contracts.workorder_events import Department
from shared.subjects import is_valid_site


class SiteConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    timezone: str = "Asia/Shanghai"
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    routing: dict[str, Department] = Field(
        default_factory=dict, description="category -> department, over the dispatch defaults"
    )
    warranty_days: int = Field(default=90, ge=0, description="Free rework period (R8.9)")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        ZoneInfo(value)
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class SiteDirectory(BaseModel):
    """Which sites exist and how each is configured.

    With `strict` false (the default) any well-formed site id is served with the default
    configuration, so a new site office can start at once; with `strict` true only listed sites are.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    strict: bool = False
    default: SiteConfig = Field(default_factory=SiteConfig)
    sites: dict[str, SiteConfig] = Field(default_factory=dict)

    @field_validator("sites")
    @classmethod
    def _valid_ids(cls, value: dict[str, SiteConfig]) -> dict[str, SiteConfig]:
        bad = [s for s in value if not is_valid_site(s)]
        if bad:
            raise ValueError(f"invalid site ids: {', '.join(bad)}")
        return value

    def get(self, site: str) -> SiteConfig | None:
        if not is_valid_site(site):
            return None
        if site in self.sites:
            return self.sites[site]
        return None if self.strict else self.default

    @classmethod
    def load(cls, path: Path | None) -> SiteDirectory:
        if path is None:
            return cls()
        return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
