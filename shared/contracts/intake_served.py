"""Every command intake answers, in one tuple: the ticket's own and those of the records intake
keeps beside tickets (rounds, violation cases, promises, maintenance notices, the shift log,
visits, the resident file). Intake's entrypoint serves them; the console reads a refusal of any
of them with that command's form (services/console/adapters/desk.py)."""

from __future__ import annotations

from shared.contracts.commands import INTAKE_COMMANDS
from shared.contracts.maintenance_commands import MAINTENANCE_COMMANDS
from shared.contracts.promise_commands import PROMISE_COMMANDS
from shared.contracts.resident_commands import RESIDENT_COMMANDS
from shared.contracts.rounds import ROUND_COMMANDS
from shared.contracts.shifts import SHIFT_COMMANDS
from shared.contracts.violation_commands import VIOLATION_COMMANDS
from shared.contracts.visits import VISIT_COMMANDS

INTAKE_SERVED = (
    *INTAKE_COMMANDS,
    *ROUND_COMMANDS,
    *VIOLATION_COMMANDS,
    *PROMISE_COMMANDS,
    *MAINTENANCE_COMMANDS,
    *SHIFT_COMMANDS,
    *VISIT_COMMANDS,
    *RESIDENT_COMMANDS,
)
