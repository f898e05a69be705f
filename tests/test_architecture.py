"""The apps import only downward (common ← renstra ← {indicators, accounts} ← {intake,
reporting}), and inside indicators and intake the modules do too (no circles); the contracts
live in pyproject.toml and import-linter checks them."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_layer_contract_names_every_app_in_order():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["name"] == "Apps import only downward"]
    assert contract["type"] == "layers"
    assert contract["layers"] == [
        "intake | reporting",
        "indicators | accounts",
        "renstra",
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


def test_reporting_modules_import_only_downward():
    """No circle inside reporting: its modules are layered, each module in one layer."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [
        c for c in config["contracts"] if c["name"] == "Reporting modules import only downward"
    ]
    assert contract["type"] == "layers"
    assert contract["containers"] == ["reporting"]
    named = [m.strip() for layer in contract["layers"] for m in layer.split("|")]
    assert len(named) == len(set(named))
    # Every module and package of reporting (but its tests and migrations) has its layer.
    package = ROOT / "reporting"
    modules = {p.stem for p in package.glob("*.py")} | {
        p.parent.name for p in package.glob("*/__init__.py")
    }
    assert set(named) == modules - {"__init__", "tests", "migrations"}
