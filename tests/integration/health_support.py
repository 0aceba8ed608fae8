"""Reading a process's /health and /metrics as a probe or Prometheus would: over HTTP."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from typing import Any

from prometheus_client.parser import text_string_to_metric_families


def get(url: str, timeout: float = 10.0) -> tuple[int, str]:
    """(HTTP status, body) of a GET, also for 503."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


async def health(base: str) -> tuple[int, dict[str, Any]]:
    """(status, body) of /health; from a thread, since the server answers on the test's loop."""
    status, body = await asyncio.to_thread(get, f"{base}/health")
    return status, json.loads(body)


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a /metrics page: (name, sorted labels) -> value."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


async def metrics(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    status, body = await asyncio.to_thread(get, f"{base}/metrics")
    assert status == 200, body
    return samples(body)


def value(page: dict, name: str, /, **labels: str) -> float:
    """A sample's value; 0 for a counter or gauge that has not been written yet."""
    return page.get((name, tuple(sorted(labels.items()))), 0.0)
