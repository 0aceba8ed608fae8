"""Escalation's application ring: the app (`app.py`) that applies DESK's events to each ticket's
clocks through the clock table (`policy.py`, written in the words of `clock_vocabulary.py` and
interpreted by `clock_actions.py`), answers its commands (`commands.py`), and decides what falls
due (`schedule.py`, `decisions.py`)."""

from services.escalation.application.app import EscalationApp

__all__ = ["EscalationApp"]
