"""Spreadsheet import and export (django-import-export) for planners and bidang staff.

- :class:`IndikatorResource`: indicator definitions with the decree's fields; updates by ID,
  creates on an existing node named by Tingkat + ID Node.
- :class:`TargetWideResource`: one row per indicator (and jenis target) with a column per year of
  the Renstra period, written to one :class:`~indicators.models.Target` per filled cell.
- :class:`RealisasiResource`: one row per indicator and year with Tahunan, TW I–IV and the
  narrative, written to one :class:`~indicators.models.Realisasi` per filled period.
- :class:`AnggaranResource`: pagu and realisasi per program/kegiatan/sub-kegiatan and year.

One module per resource (:mod:`.indikator`, :mod:`.target`, :mod:`.realisasi`,
:mod:`.anggaran`); :mod:`.base` holds what they share (cell widgets, sheet-row helpers, the
batch rules of :class:`~.base.KinerjaResource`). Import each from its module.

Every resource is built with the requesting user (``Resource(user=request.user)``) and is an
adapter of the write services: it reads cells (real numbers or Indonesian text, through
``common.cells``) and hands each row to the service — the model's door (``renstra.door``) for
definitions and budgets, the batches :class:`~indicators.services.target.TargetBatch` and
:class:`~indicators.services.realisasi.RealisasiBatch` for targets and realisasi — which holds
every rule (permission, lock, period, stale version, bounds, type). Each row carries the version
it was exported from (hidden column ``Versi``). Messages name the spreadsheet row ("Baris 3" =
the third line of the sheet, the header being line 1) and the column; the preview lists every
change old → new and the ×10 warnings the import then needs confirmed.

An import is all-or-nothing: one transaction, rolled back on any error or invalid row whatever
the caller passes (the admin's confirm step passes ``rollback_on_validation_errors=False``, which
would otherwise commit the valid rows beside the invalid ones).

Empty cells: in the data resources (targets, realisasi, budgets) an empty cell (or "-") leaves
the stored value alone, because a template is mostly blanks that mean "not this one", never
"delete". In :class:`IndikatorResource` a row *is* the definition, so an empty text cell clears
that text.

Exports are datasets of plain values; the workbook they are written to (``common.sheets``, the
one writer: templates and the admin's export alike) prefixes text starting with ``= + - @``, tab
or CR with a single quote, so no spreadsheet runs it as a formula; numbers are written as
numbers (−70 stays −70). Importing strips that quote again, so an export → import round trip is
lossless. import-export's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` must stay off: it
deletes the ``=`` instead (changing the data), ignores ``+ - @`` and turns every number into
text.
"""
