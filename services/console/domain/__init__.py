"""The console's own rules: accounts and sessions, what each role sees, what each status allows.
No I/O, no web framework, no bus."""
