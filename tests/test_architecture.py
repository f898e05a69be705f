"""The apps import only downward (common ← renstra ← {indicators, accounts} ← {intake,
reporting} ← kabupaten); the contract lives in pyproject.toml and import-linter checks it."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_layer_contract_names_every_app_in_order():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = config["contracts"]
    assert contract["type"] == "layers"
    assert contract["layers"] == [
        "kabupaten",
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


def test_no_app_imports_upward():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(  # noqa: S603 (our own venv's lint-imports)
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout
