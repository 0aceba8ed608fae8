"""Intake's application ring: the app (`app.py`, one table of commands and one of reactions) and
a module per job — reporting a contact (`contacts.py`), showing contact details (`reveals.py`),
the month's analysis (`month_analysis.py`), replies and promises (`replies.py`), and what the
work orders of a ticket mean for it (`work_order_reactions.py`)."""

from services.intake.application.app import IntakeApp

__all__ = ["IntakeApp"]
