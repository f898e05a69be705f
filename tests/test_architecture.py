"""The apps import only downward (common ← renstra ← {indicators, accounts} ← {intake,
reporting} ← kabupaten), and inside indicators, intake and reporting the modules do too (no
circles); the contracts live in pyproject.toml and import-linter checks them."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_layer_contract_names_every_app_in_order():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["name"] == "Apps import only downward"]
    assert contract["type"] == "layers"
    assert contract["layers"] == [
        "api",
        "evaluasi",
        "dokumen",
        "kabupaten",
        "intake | reporting",
        "indicators | accounts",
        "renstra",
        "nomenklatur",
        "common",
    ]
    # Every app of the project is in a layer and a root package (a new app cannot slip by).
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")} - {"config"}
    named = {a.strip() for layer in contract["layers"] for a in layer.split("|")}
    assert named == apps | {"common"}
    assert set(config["root_packages"]) == apps | {"common"}


def test_indicators_and_intake_have_a_contract_against_circles():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layered = {
        container
        for c in config["contracts"]
        if c["type"] == "layers"
        for container in c.get("containers", [])
    }
    assert {"indicators", "intake"} <= layered


def test_no_app_imports_upward():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(  # noqa: S603 (our own venv's lint-imports)
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    kept = re.search(r"Contracts: (\d+) kept, 0 broken", result.stdout)
    assert kept is not None, result.stdout
    assert int(kept.group(1)) == len(config["contracts"])


APPS = [
    "common",
    "nomenklatur",
    "renstra",
    "accounts",
    "indicators",
    "intake",
    "reporting",
    "kabupaten",
    "dokumen",
    "evaluasi",
    "api",
]


@pytest.mark.parametrize("app", APPS)
def test_every_module_of_every_app_has_its_layer(app):
    """No circle inside any app: its modules are layered (siblings on one line independent),
    each module and package of the app in exactly one layer, so a new module cannot slip by."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c.get("containers") == [app]]
    assert contract["type"] == "layers"
    named = [m.strip() for layer in contract["layers"] for m in layer.split("|")]
    assert len(named) == len(set(named))
    package = ROOT / app
    modules = {p.stem for p in package.glob("*.py")} | {
        p.parent.name for p in package.glob("*/__init__.py")
    }
    assert set(named) == modules - {"__init__", "tests", "migrations", "templatetags"}
