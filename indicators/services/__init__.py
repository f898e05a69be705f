"""Write services of indicators, one module per the objects it writes: definitions
(:mod:`.indikator`), targets (:mod:`.target`), realisasi (:mod:`.realisasi`), comparison
values and supporting tables (:mod:`.pendukung`), scales and per-OPD settings (:mod:`.skala`);
:mod:`.shared` holds what they share. Every adapter (kabid pages, admin forms and inlines,
workbooks, the decree import, the seed loader) calls these; each guard line ends with
``# guard`` (see ``renstra.door``). Each module registers its models' doors on import;
``IndicatorsConfig.ready`` imports them all.

Batches: :func:`.target.target_set_many` and :func:`.realisasi.realisasi_record_many` take a
workbook's rows at once; the rules need a fixed number of queries per batch (permissions per
OPD, the locks of each OPD, the stored rows, the previous year's values), whatever the number
of rows.
"""
