"""Reporting: read models projected from DESK, and the queries that read them.

projections/  pure: how each published event changes a read model (Projector STEPS tables)
views/        SQLite: the views that store them (on shared/eventstore/views.py SQLiteView)
queries/      the query handlers and the reports, over the views
ops/          the registry of projections, replay, switch and repair of a view
entrypoint.py the wiring to NATS (the only module that knows FastStream)
"""
