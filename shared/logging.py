"""One structlog processor chain, configured once per process. What other libraries log through
the standard library (nats-py's connection errors, asyncio's, warnings) goes through the same
renderer, so JSON output stays one object per line, tracebacks included."""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

import structlog


def configure_logging(fmt: str = "auto", level: str = "info") -> None:
    json_output = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer = (
        structlog.processors.JSONRenderer()
        if json_output
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    # a traceback as data in JSON (one line), as text on a console
    exceptions = (
        structlog.processors.dict_tracebacks
        if json_output
        else structlog.processors.format_exc_info
    )
    numeric = logging.getLevelName(level.upper())
    stamped: list[structlog.typing.Processor] = [
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            _without_chatter,
            *stamped,
            exceptions,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        # one write per line (print writes the line, then its newline: the standard library's
        # handler, under its own lock, could write between them, two records on one line)
        logger_factory=structlog.WriteLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[structlog.stdlib.add_logger_name, *stamped],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                exceptions,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(numeric)
    logging.captureWarnings(True)
    sys.excepthook = _uncaught
    threading.excepthook = _uncaught_in_thread


def _without_chatter(
    logger: object, method: str, event: structlog.typing.EventDict
) -> structlog.typing.EventDict:
    """FastStream's subscriber supervisor says "callback for Task-141 is being executed..." at
    info level whenever one of its tasks ends: dozens of lines at every stop, telling an operator
    nothing (the services say what stopped). Dropped; what FastStream says of a failed task (its
    exception, at error level) still goes through."""
    said = event.get("event")
    if (
        isinstance(said, str)
        and said.startswith("callback for ")
        and said.endswith(" is being executed...")
    ):
        raise structlog.DropEvent
    return event


def get_logger(name: str) -> structlog.typing.FilteringBoundLogger:
    return structlog.get_logger(name)


def _uncaught(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    get_logger("propdesk").critical("uncaught", exc_info=(kind, exc, tb))


def _uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    get_logger("propdesk").critical(
        "uncaught",
        thread=args.thread.name if args.thread else None,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )
