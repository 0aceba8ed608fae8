"""Intake's adapters: its stored events translated to the published contract (`translate.py`)."""
