"""Where each service keeps its eventsourcing store: one SQLite file per service, or PostgreSQL."""

from __future__ import annotations

from shared.settings import Settings


def store_env(settings: Settings, service: str) -> dict[str, str]:
    """The eventsourcing environment of one service's own store."""
    if settings.persistence == "postgres":
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": settings.postgres_dbname,
            "POSTGRES_HOST": settings.postgres_host,
            "POSTGRES_PORT": str(settings.postgres_port),
            "POSTGRES_USER": settings.postgres_user,
            "POSTGRES_PASSWORD": settings.postgres_password,
            "POSTGRES_SCHEMA": service,
        }
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(settings.data_dir / f"{service}.sqlite3"),
        "SQLITE_LOCK_TIMEOUT": "10",
    }
