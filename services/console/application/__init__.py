"""The console's use cases: signing in (accounts.py) and the desk's work (front_desk.py)."""
