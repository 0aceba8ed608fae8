"""One settings object, read from PROPDESK_* environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import ByteSize, SecretStr, StringConstraints, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# a reporting replica's name: a token of its durable consumers' names and its ops subjects
ReplicaName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PROPDESK_", extra="ignore")

    data_dir: Path = Path("var")
    nats_url: str | None = None  # several, comma separated, for a cluster (deploy/cluster/)
    nats_port: int = 4222
    # how many servers of the cluster hold each stream (R3 on a three-node cluster; 1 alone)
    stream_replicas: int = 1
    persistence: Literal["sqlite", "postgres"] = "sqlite"
    postgres_host: str = "127.0.0.1"
    postgres_port: int = 5432
    postgres_user: str = "propdesk"
    postgres_password: str = ""
    postgres_dbname: str = "propdesk"
    # where PostgreSQL's client programs are (pg_dump, pg_restore: `propdesk backup`/`restore`);
    # empty: found on PATH. They must be of the server's major version or newer.
    postgres_bin: Path | None = None
    sites_file: Path | None = None
    # reporting runs as replicas (docs/RELIABILITY.md, More than one of each): this process's
    # replica (None: the first, as ever), and the replicas the hub grants durables to
    replica: ReplicaName | None = None
    reporting_replicas: Annotated[tuple[ReplicaName, ...], NoDecode] = ()
    # a writer (intake, dispatch, escalation) started as a standby waits for its store's lock,
    # held by the running one, instead of refusing; then takes over (docs/RELIABILITY.md)
    standby: bool = False
    # the bus: one credential file per identity (docs/contract.md §22)
    credentials_dir: Path | None = None  # default: <data_dir>/credentials
    creds: Path | None = None  # a client's own credential file, over the default of its command
    nats_ca: Path | None = None  # the CA of a TLS hub's certificate (tls://… URLs)
    nats_cert: Path | None = None  # a client certificate, for a hub that requires one
    nats_key: Path | None = None  # its private key (default: in the certificate's file)
    # health and metrics (propdesk/monitor.py): HTTP on this port (None: off), loopback unless
    # told; how often the process looks at what it alerts on (the JetStream store's space)
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"
    health_interval: float = 15.0
    # what the embedded nats-server's JetStream may store (`up`; e.g. 10GB): the services
    # alert ops at 80 % and 95 % of it
    jetstream_max_store: ByteSize | None = None
    # the front desk's web console (services/console, `propdesk up`): where it listens
    console_port: int = 8080
    console_host: str = "127.0.0.1"
    # group commit: at most this many commands in one transaction of a service's store, and as
    # many requests per command subject answered at once (1: one command per transaction)
    command_batch: int = 64
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: str = "info"
    # intake's store holds personal data and is encrypted (shared/eventstore/keys.py): its keys
    # (base64, the
    # first encrypts) or a file of them; with neither, <data_dir>/keys/intake.key, made at start
    intake_key: SecretStr | None = None
    intake_key_file: Path | None = None
    # the mail server escalation's notification channel sends through (docs/NOTIFICATIONS.md);
    # no host: e-mail routes are not served (webhooks still are)
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "propdesk@localhost"
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    notify_timeout: float = 10.0  # seconds for one e-mail or webhook call

    @field_validator("reporting_replicas", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        """PROPDESK_REPORTING_REPLICAS=b,c"""
        if isinstance(value, str):
            return tuple(name.strip() for name in value.split(",") if name.strip())
        return value

    @property
    def credentials_path(self) -> Path:
        return self.credentials_dir or self.data_dir / "credentials"

    @property
    def sites_path(self) -> Path:
        """The site directory: PROPDESK_SITES_FILE, else sites.json in the data directory."""
        return self.sites_file or self.data_dir / "sites.json"
