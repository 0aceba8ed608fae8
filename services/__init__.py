"""PropDesk services: intake, dispatch, escalation, reporting."""
