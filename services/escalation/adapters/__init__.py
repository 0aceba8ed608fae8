"""Escalation's adapters: its events translated to the published contract (`translate.py`), and
the clock tables of docs/SERVICE-LEVELS.md written from the clock table (`clock_doc.py`)."""
