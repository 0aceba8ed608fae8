"""Alerts to ops: what a service's process raises when something needs a person (the JetStream
store filling up …): a line at error level, a metric, and a message on desk.alert.<service>,
which only ops may hear (shared/messaging/natsconf.py). Declared on every service's router, so the
grant
to publish it follows (propdesk/trust.py) and AsyncAPI documents it."""

from __future__ import annotations

from faststream.nats import NatsRouter
from nats.aio.client import Client

from shared.contracts.ops import OpsAlert
from shared.messaging import subjects


def declare(router: NatsRouter, service: str) -> None:
    router.publisher(
        subjects.alert(service),
        title=f"alert.{service}",
        description=(OpsAlert.__doc__ or "").strip(),
        schema=OpsAlert,
    )


async def publish(nc: Client, alert: OpsAlert) -> None:
    await nc.publish(subjects.alert(alert.service), alert.model_dump_json().encode())
