"""The `propdesk` command: run the system, and the desk's command line."""
