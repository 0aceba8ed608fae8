"""The folders show the rings, and dependencies point one way (issue 12, docs/ARCHITECTURE.md):
the kernel (pure words and policies) imports no contract and no adapter; the contracts (the
published language) import the kernel only; a service's domain imports neither messaging nor
the framework. Inside a writing service, domain → application → adapters → entrypoint, each in
its own folder (or application.py), each importing only further in. Moved classes keep their old
eventsourcing topics."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from eventsourcing.utils import resolve_topic

from shared.eventstore.desk_app import CommandReceipt
from shared.eventstore.parking_lot import ParkingLot

ROOT = Path(__file__).parents[2]
ADAPTERS = ("shared.messaging", "shared.eventstore", "nats", "faststream", "eventsourcing")
RULES = {
    "shared/kernel": ("shared.contracts", *ADAPTERS),
    "shared/contracts": ADAPTERS,
    "services/intake/domain": ("shared.messaging", "nats", "faststream"),
    "services/dispatch/domain": ("shared.messaging", "nats", "faststream"),
    "services/escalation/domain": ("shared.messaging", "nats", "faststream"),
    "services/console/domain": ("shared.messaging", "nats", "faststream", "starlette", "jinja2"),
    "services/reporting/projections": ("shared.messaging", "nats", "faststream", "sqlite3"),
}


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


@pytest.mark.parametrize("ring", sorted(RULES))
def test_a_ring_imports_nothing_further_out(ring: str) -> None:
    modules = sorted((ROOT / ring).rglob("*.py"))
    assert modules, ring
    wrong = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in modules
        for name in sorted(imports(path))
        if any(name == banned or name.startswith(banned + ".") for banned in RULES[ring])
    ]
    assert wrong == []


WRITERS = ("intake", "dispatch", "escalation")
LAYERED = (*WRITERS, "console")  # the web console: a client of the contract, in the same shape
# inside a writing service: domain → application → adapters → entrypoint; each imports only inward
INNER = {
    "domain": ("application", "adapters", "entrypoint"),
    "application": ("adapters", "entrypoint"),
    "adapters": ("entrypoint",),
}


def _layer(service: str, layer: str) -> list[Path]:
    package, module = (
        ROOT / "services" / service / layer,
        ROOT / "services" / service / f"{layer}.py",
    )
    return sorted(package.rglob("*.py")) if package.is_dir() else [module]


@pytest.mark.parametrize("service", LAYERED)
def test_a_service_shows_its_layers_in_its_file_names(service: str) -> None:
    folder = ROOT / "services" / service
    assert (folder / "domain").is_dir()
    assert (folder / "application").is_dir() or (folder / "application.py").is_file()
    assert (folder / "adapters").is_dir()
    assert (folder / "entrypoint.py").is_file()
    loose = {p.name for p in folder.glob("*.py")} - {
        "__init__.py",
        "application.py",
        "entrypoint.py",
    }
    assert loose == set(), f"{service}: every module sits in its layer"


@pytest.mark.parametrize(("service", "layer"), [(s, layer) for s in LAYERED for layer in INNER])
def test_a_layer_imports_nothing_further_out(service: str, layer: str) -> None:
    banned = tuple(f"services.{service}.{outer}" for outer in INNER[layer])
    wrong = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _layer(service, layer)
        for name in sorted(imports(path) | _named_modules(path))
        if any(name == b or name.startswith(b + ".") for b in banned)
    ]
    assert wrong == []


def _named_modules(path: Path) -> set[str]:
    """`from services.x import y` names the module `services.x.y` too."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_no_module_is_left_between_the_rings() -> None:
    loose = sorted(p.name for p in (ROOT / "shared").glob("*.py"))
    assert loose == ["__init__.py", "logging.py"]  # logging: one setup for every ring


def test_receipts_and_parks_stored_before_the_rings_still_load() -> None:
    assert resolve_topic("shared.desk_app:CommandReceipt.Recorded") is CommandReceipt.Recorded
    assert resolve_topic("shared.parking_lot:ParkingLot.Parked") is ParkingLot.Parked
    assert resolve_topic("shared.parking_lot:ParkingLot.Retried") is ParkingLot.Retried
