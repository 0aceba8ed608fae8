"""The web console in /health: `up` starts it beside the services, so /health reports it among
them (`services.console`) and is 503 while it does not answer. It is up when its HTTP port
answers `GET /healthz` (services/console/adapters/http_web.py): no session, no bus, nothing
read; down (`"state": "not_answering"`, with the error) when the port refuses, times out or
answers anything but 200; `starting` before it has a URL. Both monitors ask it:
propdesk/monitor.py (one process) and propdesk/merged_health.py (children)."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

CONSOLE = "console"
ASK_TIMEOUT = 2.0  # seconds the console may take to answer

ConsoleUrl = Callable[[], str | None]  # where the console serves now; None before it does


def console_health(url: str | None) -> dict[str, Any]:
    """The console's entry in /health's `services`; blocking (a monitor asks from a thread)."""
    if not url:
        return {"ready": False, "state": "starting"}
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=ASK_TIMEOUT) as reply:
            status = reply.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (OSError, ValueError) as exc:  # refused, timed out, reset
        return {"ready": False, "state": "not_answering", "url": url, "error": _said(exc)}
    if status != 200:
        return {"ready": False, "state": "not_answering", "url": url, "error": f"HTTP {status}"}
    return {"ready": True, "url": url}


def _said(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)  # URLError wraps the socket's error
    return f"{type(reason or exc).__name__}: {reason or exc}".strip(": ")
