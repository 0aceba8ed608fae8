"""What a site id and a staff id look like: the kernel's own words for them, which the site
directory (shared/kernel/sites.py), the published contracts and the subjects all use."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from shared.kernel.personal import looks_personal

SITE_PATTERN = r"[a-z0-9][a-z0-9-]{1,31}"
SITE_RE = re.compile(rf"^{SITE_PATTERN}$")
COMPANY = "company"  # desk.qry.company.report.…: the company's reports; no site has this id


def is_valid_site(site: str) -> bool:
    return bool(SITE_RE.fullmatch(site)) and site != COMPANY


def not_personal(value: str) -> str:
    """An identifier is published as typed, so it must not carry personal data (R15.1, R15.4)."""
    kind = looks_personal(value)
    if kind is not None:
        raise ValueError(f"looks like {kind}: it is published, so no personal data (R15.4)")
    return value


SiteId = Annotated[str, StringConstraints(pattern=rf"^{SITE_PATTERN}$")]
# Staff ids and keys are codes: ASCII only, so a name typed in Chinese cannot become one.
StaffId = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$"
    ),
    AfterValidator(not_personal),
]


# a room, a building, a zone or a public area (R16.4): a place, never a person
Place = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
    AfterValidator(not_personal),
]
