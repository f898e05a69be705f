"""Delete each guard of the write services once and check that a test notices.

A guard is a statement whose first line ends with ``# guard`` in a service module. Each is
replaced by ``pass`` (the rest of the file untouched), the service's own test module runs
(then all service tests, if that one stays green), and the file is restored. A guard no test
notices is reported as SURVIVED and the script exits non-zero.

    .venv/bin/python scripts/mutate_guards.py            # every guard
    .venv/bin/python scripts/mutate_guards.py --list     # only list them
    .venv/bin/python scripts/mutate_guards.py indicators/services/target.py:target
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICE_FILES = [
    "renstra/door.py",
    "renstra/services.py",
    "renstra/pemda.py",
    "indicators/services/shared.py",
    "indicators/services/indikator.py",
    "indicators/services/target.py",
    "indicators/services/realisasi.py",
    "indicators/services/pendukung.py",
    "indicators/services/skala.py",
    "indicators/formula_services.py",
    "indicators/rencana_aksi.py",
    "reporting/services.py",
    "intake/services.py",
    "kabupaten/reviu.py",
    "dokumen/services.py",
    "evaluasi/services.py",
    "evaluasi/instrumen_services.py",
    "evaluasi/followup.py",
    "evaluasi/links.py",
    "accounts/tokens.py",
    "nomenklatur/services.py",
]
TESTS = "tests/services"
# Which test module covers the functions of a name (first match wins).
MODULES = [
    # The instrument's versions: parser, service, pages and command tested in one module.
    (r"^instrumen_", ["../test_evaluasi_instrumen.py"]),
    (r"^lhe_", ["test_evaluasi_lhe_service.py"]),
    (r"^kinerja_link", ["test_evaluasi_service.py"]),
    (
        r"^(bukti_|rekomendasi_|tindak_lanjut_|_evidence_|_recommendation_|_followup_|"
        r"_evaluation_open_locked)",
        ["test_evaluasi_followup.py"],
    ),
    (r"^token_", ["test_api_token_service.py"]),
    (
        r"^(evaluasi_|jawaban_|_locked_evaluation|_criterion|_checked|_answer_row)",
        ["test_evaluasi_service.py"],
    ),
    (r"^target_triwulan_", ["test_target_triwulan_service.py"]),
    (
        r"^(rumus_|komponen_|nilai_komponen_|_values_guards|_refuse_if_locked)",
        ["test_komponen_service.py"],
    ),
    (r"^(pemda_|plan_unit_|opd_create_with_perencana)", ["test_pemda_service.py"]),
    (r"^(tautan_|_check_target)", ["test_tautan_service.py"]),
    (r"^reviu_", ["test_reviu_service.py"]),
    (r"^(dokumen_|check_scan|_check_jenis_tahun)", ["test_dokumen_register_service.py"]),
    (
        r"^(pejabat_|penanggung_jawab_|_penanggung_jawab_guard|_kepala_to_pejabat)",
        ["test_pejabat_service.py"],
    ),
    (r"^opd_", ["test_opd_service.py"]),
    (r"^bidang_", ["test_bidang_service.py"]),
    (r"^periode_", ["test_periode_service.py"]),
    (r"^(node_kode_|_parent_codes)", ["test_node_kode_service.py"]),
    (r"^usulan_kode_", ["test_usulan_kode_service.py"]),
    (r"^nomenklatur_", ["../test_nomenklatur_admin.py"]),
    (r"^node_", ["test_node_service.py"]),
    (r"^anggaran_pk_", ["test_anggaran_pk_service.py"]),
    (r"^anggaran_(bulanan|batch)_", ["test_anggaran_bulanan_service.py"]),
    (r"^(anggaran_|_yearly_guards)", ["test_anggaran_service.py", "test_anggaran_pk_service.py"]),
    (r"^penugasan_", ["test_penugasan_service.py"]),
    (r"^year_", ["test_year_lock_service.py"]),
    (r"^indikator_keluaran_", ["../test_keluaran_standar.py"]),
    (r"^indikator_", ["test_indikator_service.py"]),
    (r"(target|Target)", ["test_target_service.py"]),
    (r"^(_not_available_guards|check_rate)", ["test_realisasi_data_service.py"]),
    (
        r"(realisasi|Realisasi|check_can_record)",
        ["test_realisasi_service.py", "test_realisasi_data_service.py"],
    ),
    (r"^pembanding_", ["test_pembanding_service.py"]),
    (r"^data_pendukung_", ["test_data_pendukung_service.py"]),
    (r"^skala_", ["test_skala_service.py"]),
    (r"^pengaturan_", ["test_pengaturan_service.py"]),
    (r"^narasi_", ["test_narasi_service.py"]),
    (r"^(lakip_|report_)", ["test_lakip_service.py"]),
    (r"^removal_guard", ["test_door.py"]),
    (r"^import_", ["test_import_service.py"]),
    (r"^_confirm_jumps", ["test_target_service.py", "test_realisasi_service.py"]),
]


@dataclass(frozen=True)
class Guard:
    path: str
    function: str
    start: int  # 1-based, inclusive
    end: int
    code: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.start}"


def guards(path: str) -> list[Guard]:
    source = (ROOT / path).read_text()
    lines = source.splitlines()
    found: list[Guard] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = child.name if not function else f"{function}.{child.name}"
            if isinstance(child, ast.stmt) and not isinstance(
                child, ast.FunctionDef | ast.ClassDef
            ):
                first = lines[child.lineno - 1]
                if first.rstrip().endswith("# guard") or "# guard" in first:
                    end = child.end_lineno or child.lineno
                    code = " ".join(x.strip() for x in lines[child.lineno - 1 : end])
                    found.append(Guard(path, function, child.lineno, end, code))
                    continue
            visit(child, name)

    visit(ast.parse(source), "")
    return found


def mutate(guard: Guard) -> str:
    source = (ROOT / guard.path).read_text()
    lines = source.splitlines(keepends=True)
    indent = lines[guard.start - 1][
        : len(lines[guard.start - 1]) - len(lines[guard.start - 1].lstrip())
    ]
    lines[guard.start - 1 : guard.end] = [f"{indent}pass  # guard deleted\n"]
    return "".join(lines)


def modules_for(guard: Guard) -> list[str]:
    leaf = guard.function.split(".")[-1] if guard.function else ""
    top = guard.function.split(".")[0]
    for pattern, modules in MODULES:
        if re.search(pattern, leaf) or re.search(pattern, top):
            return [f"{TESTS}/{m}" for m in modules]
    return [TESTS]


def run(targets: list[str]) -> str | None:
    """The first failing test's id, or None when everything passed."""
    result = subprocess.run(  # noqa: S603 - our own venv's pytest on our own tests
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-rf", *targets],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    failed = re.search(r"^(?:FAILED|ERROR) (\S+)", result.stdout, re.MULTILINE)
    if failed:
        return failed.group(1)
    if result.returncode not in (0, 5):
        return f"(pytest exit {result.returncode})"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="path[:function-substring] to restrict the run")
    parser.add_argument("--list", action="store_true", help="list the guards, run nothing")
    args = parser.parse_args()
    todo = [g for path in SERVICE_FILES for g in guards(path)]
    if args.only:
        wanted = [o.partition(":") for o in args.only]
        todo = [g for g in todo if any(g.path == p and f in g.function for p, _s, f in wanted)]
    if args.list:
        for g in todo:
            print(f"{g.where:32} {g.function:28} {g.code[:90]}")
        print(f"{len(todo)} guards")
        return 0
    survived = 0
    started = time.monotonic()
    for n, guard in enumerate(todo, start=1):
        original = (ROOT / guard.path).read_text()
        try:
            (ROOT / guard.path).write_text(mutate(guard))
            caught = run(modules_for(guard)) or run([TESTS])
        finally:
            (ROOT / guard.path).write_text(original)
        status = caught or "SURVIVED"
        survived += caught is None
        print(f"[{n:3}/{len(todo)}] {guard.where:32} {guard.function:26} → {status}", flush=True)
    minutes = (time.monotonic() - started) / 60
    print(
        f"\n{len(todo) - survived} of {len(todo)} guards caught, {survived} survived "
        f"({minutes:.1f} min)"
    )
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
