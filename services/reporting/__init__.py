"""Reporting: read models projected from DESK, and the queries that read them."""
