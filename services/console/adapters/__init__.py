"""The console's adapters: its own store of accounts and sessions, and the desk's contract on
the bus."""
