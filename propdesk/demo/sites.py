"""What `propdesk demo` says: three sites, their people and the words of their contacts.

Everything here is invented. The reporters (names and phone numbers) are fake and deterministic
for a seed; the demo checks at the end that none of them reached the stream DESK.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from shared.kernel.vocabulary import DEFAULT_CATEGORIES

# -- the staff of each site: ids <prefix>-<suffix>, e.g. HB-S01 (docs/contract.md §16) -------------

# who acknowledges the notices to each role, and the suffix of their staff id
ROLE_STAFF = {
    "receptionist": "S01",  # a complaint raised again and again is flagged to the desk (R5.1a)
    "cs_assistant": "CS1",
    "department_supervisor": "SUP",
    "project_manager": "M01",  # the management-office head, who also attaches the analysis
    "gm_office": "GMO",
    "quality": "QA",
}

# each department's supervisor signs for its work orders and assigns the technician
DEPARTMENT_LEADS = {
    "engineering": "ENG",
    "cleaning": "CLN",
    "security": "SEC",
    "greening": "GRN",
    "property_business": "PB",
}


def staff_list(prefix: str) -> dict[str, dict[str, str]]:
    """A site's staff list: three receptionists at the desk (S01–S03), the roles above, the
    CS supervisor (CSS, who answers for general violation cases and is told of overdue promises
    and unsigned handovers), the department supervisors, nine technicians (T01–T09) and the
    security patrol (PATROL, the night duty that signs the shift log)."""
    staff = {f"{prefix}-S0{n}": {"role": "receptionist"} for n in (1, 2, 3)}
    staff |= {f"{prefix}-{suffix}": {"role": role} for role, suffix in ROLE_STAFF.items()}
    staff[f"{prefix}-CSS"] = {"role": "cs_supervisor"}
    staff |= {
        f"{prefix}-{suffix}": {"role": "department_supervisor", "department": department}
        for department, suffix in DEPARTMENT_LEADS.items()
    }
    staff |= {f"{prefix}-T{n:02d}": {"role": "technician"} for n in range(1, 10)}
    staff[f"{prefix}-PATROL"] = {"role": "department_staff", "department": "security"}
    return staff


# -- the site directory of the demo (docs/contract.md §16, docs/SERVICE-LEVELS.md) ---------------

SITES: dict[str, Any] = {
    "strict": True,
    "sites": {
        "hbw": {
            "name": "华碧屋村",
            "timezone": "Asia/Shanghai",
            "categories": [*DEFAULT_CATEGORIES[:-1], "decoration", "other"],
            "routing": {"decoration": "property_business"},
            "warranty_days": 90,
            "staff": staff_list("HB"),
            # occupied households per zone, the visits' 2 % a week (docs/VISITS.md, R11.6)
            "visits": {"occupied": {"A": 420, "B": 380, "C": 150}},
        },
        "tech-park": {
            "name": "科技园",
            "timezone": "Asia/Shanghai",
            "categories": [
                "cleaning",
                "security",
                "greening",
                "maintenance",
                "plumbing",
                "electrical",
                "elevator",
                "hvac",
                "power_supply",
                "fire_safety",
                "public_facility",
                "front_desk",
                "public_order",
                "parking",
                "loading_dock",
                "other",
            ],
            "routing": {
                "fire_safety": "security",
                "loading_dock": "security",
                "parking": "property_business",
            },
            "warranty_days": 180,
            "sla": {
                "counting": "office_hours",
                "office_hours": {"opens": "08:30", "closes": "17:30"},
                "clocks": {"general_fixed": {"target": "P2D"}},
            },
            "staff": staff_list("TP"),
        },
        "xh-tower": {
            "name": "徐汇大厦",
            "timezone": "Asia/Shanghai",
            "categories": [
                "cleaning",
                "security",
                "maintenance",
                "plumbing",
                "electrical",
                "elevator",
                "hvac",
                "public_facility",
                "front_desk",
                "public_order",
                "parking",
                "other",
            ],
            "warranty_days": 90,
            "sla": {"clocks": {"help_reply": {"target": "PT5M"}, "follow_up": {"warn_at": 0.5}}},
            "staff": staff_list("XH"),
        },
    },
}


# -- the people ------------------------------------------------------------------------------------

SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯董萧程曹袁邓许傅沈曾彭吕"
GIVEN = (
    "建国", "秀英", "志强", "丽华", "海燕", "晓东", "春梅", "国栋", "玉兰", "文博",
    "子涵", "雨萱", "浩然", "思远", "佳怡", "俊杰", "美玲", "宏伟", "淑芬", "家豪",
)  # fmt: skip


@dataclass(frozen=True)
class Person:
    name: str
    phone: str


def people(seed: int, count: int = 160) -> list[Person]:
    """The demo's residents and tenants for a seed: fake names (张先生, 李秀英 …) and fake mobile
    numbers (138…), all different. The same seed gives the same people."""
    rng = random.Random(f"propdesk-demo-people/{seed}")
    names: list[str] = []
    for surname in SURNAMES:
        names += [f"{surname}先生", f"{surname}女士"]
    names += [f"{s}{g}" for s in SURNAMES[:20] for g in GIVEN]
    rng.shuffle(names)
    phones: set[str] = set()
    found = []
    for name in names[:count]:
        phone = f"1{rng.choice('3589')}{rng.randrange(10)}{rng.randrange(10**8):08d}"
        while phone in phones:
            phone = f"1{rng.choice('3589')}{rng.randrange(10)}{rng.randrange(10**8):08d}"
        phones.add(phone)
        found.append(Person(name, phone))
    return found


# -- the sites' profiles ---------------------------------------------------------------------------

# (category, content, public?) — content decides urgency and leaks at dispatch (R7.1, R8.8)
