"""What an import would change, in the user's words: the kabid's page, the admin's preview
and the import commands show the same summary."""

from __future__ import annotations

from typing import Any


def summarise(result: Any) -> dict[str, Any]:
    """Per-row errors, every change old → new, the ×10 warnings and counts of an import, in
    the user's words (the kabid's page and the admin's preview show the same)."""
    errors: list[str] = []
    for row in result.invalid_rows:
        for texts in row.error_dict.values():
            errors.extend(str(t) for t in texts)
    for number, row_errors in result.row_errors():
        errors.extend(f"Baris {int(number) + 1}: {e.error}" for e in row_errors)
    errors.extend(str(e.error) for e in result.base_errors)
    counts = {"baru": 0, "diubah": 0, "tetap": 0}
    rows = []
    warnings: list[str] = []
    for row in result.rows:
        kind = {"new": "baru", "update": "diubah"}.get(row.import_type, "tetap")
        changes = getattr(row, "changes", [])
        if kind != "tetap" and not changes and row.import_type in ("new", "update"):
            kind = "tetap"
        counts[kind] += 1
        line = getattr(row, "line", None)
        warnings.extend(f"Baris {line}: {w}" for w in getattr(row, "warnings", []))
        rows.append({"line": line, "nama": row.object_repr, "kind": kind, "changes": changes})
    return {"errors": errors, "counts": counts, "rows": rows, "warnings": warnings}


def with_components(summary: dict[str, Any], components: Any) -> dict[str, Any]:
    """The summary of a workbook's Komponen sheet joined to its realisasi sheet's."""
    from .komponen_sheet import ComponentImport

    summary["komponen"] = components or ComponentImport()
    if components is not None:
        summary["errors"].extend(components.errors)
        summary["warnings"].extend(components.warnings)
    return summary
