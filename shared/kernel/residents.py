"""The resident and unit file's words and the site's choices (R16.2–R16.4, R11.10, R1.6;
docs/RESIDENTS.md). Standard library and pydantic only, like the rest of the kernel."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.kernel.staff import PERMISSIONS
from shared.kernel.vocabulary import Role


class ResidentKind(StrEnum):
    """Who lives in or uses a unit (R1.6); a visitor has no file."""

    owner = "owner"  # 业主
    tenant = "tenant"  # 租户
    occupant = "occupant"  # 住户 / 使用人
    enterprise = "enterprise"  # 企业 (an industrial park's)


class PlaceKind(StrEnum):
    """A unit is a room; a public area is one of the kinds the procedures name (R16.4)."""

    room = "room"  # 房号
    stairwell = "stairwell"  # 楼梯间
    roof = "roof"  # 天台 (escape roof)
    lift = "lift"  # 电梯
    lobby = "lobby"  # 大堂
    road = "road"  # 道路
    parking = "parking"  # 停车场
    greenery = "greenery"  # 绿化


class CareReason(StrEnum):
    """Why a resident needs special care (R11.10). Kept in intake only: never published."""

    elderly_alone = "elderly_alone"  # 独居老人
    disabled = "disabled"  # 残疾人
    other = "other"


class ResidentConfig(BaseModel):
    """A site's choices for its resident file (docs/RESIDENTS.md)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    required_phones: int = Field(
        default=1, ge=1, le=2,
        description="Phones a resident must have to be registered; 2 makes R16.3's advice a rule",
    )  # fmt: skip
    recommended_phones: int = Field(
        default=2, ge=1, le=5, description="Fewer than this is flagged `phones_short` (R16.3)"
    )
    care_visit_days: int = Field(
        default=30, ge=1, le=366,
        description="A special-care resident is visited at least this often (R11.10)",
    )  # fmt: skip
    care_visit_role: Role = Field(
        default=Role.cs_assistant, description="Who is told when a special-care visit is due"
    )

    @field_validator("care_visit_role")
    @classmethod
    def _keeps_the_file(cls, role: Role) -> Role:
        """The one told a visit is due records it on the resident's card: a role that may keep
        the resident file (its notice links there; another role would be refused the card)."""
        keepers = PERMISSIONS["resident.file"].roles
        if role not in keepers:
            names = ", ".join(r.value for r in Role if r in keepers)
            raise ValueError(f"care_visit_role must keep the resident file ({names}), not {role}")
        return role

    def visit_due(self, since: datetime) -> datetime:
        """When a special-care resident's next visit is due, the wait having begun at `since`
        (flagged, or a visit made): calendar days, since visits are not office work."""
        return since + timedelta(days=self.care_visit_days)


def visit_wait_from(since: datetime | None, visited_at: datetime) -> datetime | None:
    """When the wait for a special-care resident's next visit begins once a visit made at
    `visited_at` is recorded, the wait having begun at `since` (None: not flagged, nothing to
    wait for): from the visit as made, not as entered — unless the wait already runs from later
    (a later visit entered first, or the flag set after it). Intake's lookup and escalation's
    reminder both reckon with this, so the due date shown and the reminder agree (R11.10)."""
    return None if since is None else max(since, visited_at)
