"""The closed vocabularies of the domain (docs/DOMAIN.md §2–§3), shared by every contract."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """受理渠道 (R2.2). `hotline` is the 24 h service line (R2.3)."""

    phone = "phone"
    visit = "visit"
    letter = "letter"
    online = "online"
    inspection = "inspection"
    forwarded = "forwarded"
    hotline = "hotline"


class Kind(StrEnum):
    """Ticket kinds (R4.1–R4.11)."""

    inquiry = "inquiry"
    complaint = "complaint"
    repair = "repair"
    suggestion = "suggestion"
    help = "help"
    violation = "violation"
    paid_service = "paid_service"


class HelpCategory(StrEnum):
    """求助 categories A–G (R4.6)."""

    A = "A"  # 急救病人求助 medical emergency
    B = "B"  # 报修求助 repair help
    C = "C"  # 投诉 complaint
    D = "D"  # 咨询 inquiry
    E = "E"  # 盗窃、打架斗殴… crime or accident
    F = "F"  # 水浸、火灾 flood or fire
    G = "G"  # 其他 other help


class Validity(StrEnum):
    """有效投诉 vs 沟通性投诉 (R5.5, R5.6; decision C10: separate classes)."""

    valid = "valid"
    communicative = "communicative"


class CommunicativeType(StrEnum):
    help_seeking = "help_seeking"  # 求助型
    inquiry = "inquiry"  # 咨询型
    venting = "venting"  # 发泄型


class Severity(StrEnum):
    """重大 / 重要 / 轻微 (R5.1–R5.3)."""

    major = "major"
    important = "important"
    minor = "minor"


class TicketStatus(StrEnum):
    received = "received"
    classified = "classified"
    resolved = "resolved"
    closed = "closed"
    reopened = "reopened"
    cancelled = "cancelled"


OPEN_STATUSES = frozenset({TicketStatus.received, TicketStatus.classified, TicketStatus.reopened})

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "cleaning",
    "security",
    "greening",
    "maintenance",
    "plumbing",
    "electrical",
    "elevator",
    "public_facility",
    "front_desk",
    "public_order",
    "noise",
    "parking",
    "other",
)
