"""`python -m propdesk`: the CLI, as `up` starts its services (propdesk/children.py)."""

from propdesk.cli.main import main

main()
