"""Who works at a site and what each role may do (docs/DOMAIN.md §1): policy as data.

A site's entry in the site directory may list its staff (工号 → role, name, department, and for a
zone CS assistant her zones, R1.3). Where it
does, every command's `staff_id` must be on the list, and the commands below need a role. Where it
does not, nothing is checked. The bus authenticates the site office, not the person: a `staff_id`
is the site office's word for who gave the command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from shared.kernel.vocabulary import Department, Role
from shared.kernel.zones import ZoneName, distinct_zones

# Who may carry `zones`: the zone CS assistant (辖区客服助理), who holds her zone's valid
# complaints (R1.3, R6.3). No other role has a zone of its own here (there is no zone
# administrator role); a list on another role is refused rather than silently ignored.
ZONE_ROLES = frozenset({Role.cs_assistant})


class StaffMember(BaseModel):
    """One member of a site's staff, keyed by staff id in the site directory's `staff`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Role
    name: str = Field(default="", max_length=50, description="Display name")
    department: Department | None = Field(
        default=None, description="For technicians and department staff: where they work"
    )
    zones: Annotated[tuple[ZoneName, ...], AfterValidator(distinct_zones)] = Field(
        default=(),
        max_length=20,
        description="For a CS assistant: the zones (组团 / 辖区) she looks after (R1.3), as the "
        "unit file names them, compared without case; empty: the whole site",
    )

    @model_validator(mode="after")
    def _zones_for_a_zone_role(self) -> Self:
        if self.zones and self.role not in ZONE_ROLES:
            raise ValueError(f"zones are for a cs_assistant (R1.3), not {self.role.value}")
        return self


# Who answers for whom (上级): a notice may be acknowledged by its role or anyone above it, and
# "a department supervisor or above" is the supervisor's own chain (R6.3–R6.6).
REPORTS_TO: dict[Role, Role] = {
    Role.receptionist: Role.cs_assistant,
    Role.cs_assistant: Role.department_supervisor,
    Role.technician: Role.department_supervisor,
    Role.department_staff: Role.department_supervisor,
    Role.department_supervisor: Role.project_manager,
    Role.project_manager: Role.gm_office,
    Role.quality: Role.gm_office,
    Role.cs_supervisor: Role.project_manager,
}


def and_above(role: Role) -> frozenset[Role]:
    """The role and every role it reports to, up to the general manager's office."""
    chain = [role]
    while chain[-1] in REPORTS_TO:
        chain.append(REPORTS_TO[chain[-1]])
    return frozenset(chain)


# the desk roles that call customers back and handle their complaints: they alone may see or
# search by a resident's contact details (R15.2, R15.4)
_CONTACT_DESK = frozenset(
    {Role.receptionist, Role.cs_assistant, Role.department_supervisor, Role.project_manager}
)


@dataclass(frozen=True, slots=True)
class Permission:
    action: str  # what the command does, as the refusal says it
    roles: frozenset[Role]
    rules: str

    def refusal(self, staff_id: str, role: Role) -> str:
        needed = [r.value for r in Role if r in self.roles]
        names = needed[0] if len(needed) == 1 else f"{', '.join(needed[:-1])} or {needed[-1]}"
        return f"{self.action} needs {names}; staff {staff_id} is {role.value} ({self.rules})"


PERMISSIONS: dict[str, Permission] = {
    # the desk roles that call customers back and handle their complaints; not the GM office
    # (a meeting), quality (analysis needs no one's phone) or the staff who do the work (R15.6)
    "intake.reveal_contact": Permission(
        "revealing a resident's contact details",
        _CONTACT_DESK,
        "R15.2, R15.4",
    ),
    # finding a caller's tickets by phone or name links a person to their tickets, so the same
    # desk roles as revealing the details; by room or ticket number anyone on the staff list
    "intake.search_contact": Permission(
        "searching tickets by a caller's phone or name",
        _CONTACT_DESK,
        "R15.2, R15.4",
    ),
    # the resident file holds names, phones and who needs care: the desk roles that may see
    # contact details keep it and look callers up in it (R16.2, R15.2)
    "resident.file": Permission(
        "keeping or reading the resident file", _CONTACT_DESK, "R16.2, R15.2, R15.4"
    ),
    # only on the ladder: a receptionist may still cancel an inquiry or a communicative complaint
    "intake.cancel": Permission(
        "cancelling a complaint on the escalation ladder",
        and_above(Role.department_supervisor),
        "R6.4–R6.6",
    ),
    # a work order no longer wanted is ended by the department's supervisor or above, never by
    # the technician who holds it (R1.7: no one acts beyond their authority; R7.18)
    "dispatch.cancel": Permission(
        "cancelling a work order", and_above(Role.department_supervisor), "R1.7, R7.18"
    ),
    # the foreman or department manager assigns the technician (R8.4); replacing the one
    # assigned is theirs, not a technician's (R1.7)
    "dispatch.reassign": Permission(
        "replacing the technician of a work order",
        and_above(Role.department_supervisor),
        "R8.4, R1.7",
    ),
    # the management-office head (物业管理处负责人) is the project manager (项目经理 = 管理处经理)
    "intake.attach_analysis": Permission(
        "attaching the month's complaint analysis", frozenset({Role.project_manager}), "R12.2"
    ),
    # a penalty on a violation: proposed by the manager or the CS-assistant supervisor, in force
    # only once the manager signs it; other staff only persuade (R14.6, R14.7)
    "violation.penalty": Permission(
        "proposing a penalty for a violation",
        frozenset({Role.project_manager, Role.cs_supervisor}),
        "R14.7",
    ),
    # the class decides who answers for the case (R14.4, R14.9): one of those two decides it
    "violation.classify": Permission(
        "reclassifying a violation",
        frozenset({Role.project_manager, Role.cs_supervisor}),
        "R14.2, R14.9",
    ),
    "violation.sign": Permission(
        "signing a violation's penalty", frozenset({Role.project_manager}), "R14.6"
    ),
}


def acknowledging(role: Role) -> Permission:
    """escalation.ack: a notice is acknowledged by the role it was sent to, or one above it."""
    return Permission(f"acknowledging a notice to {role.value}", and_above(role), "R6.3–R6.7")
