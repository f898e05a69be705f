"""Which year leadership lands on: one whose figures are the year's verdict, not the year a
kabid has just started typing into."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from indicators.models import Jenis, Realisasi, Target
from indicators.views import default_year

from .models import LakipVersi


def landing_year(opd_id: int | None) -> int:
    """The latest year with a final LAKIP; failing that, the latest year in which every IKU
    with a target has its realisasi; failing that, where the work is (indicators'
    ``default_year``). Lives in reporting because it reads the final versions, which the
    indicators app may not import. Queries: final versions (1), the IKU's targets (1) and
    realisasi (1), and the fallback's one."""
    if opd_id is None:
        return default_year(None)
    just_ended = timezone.localdate().year - 1
    final = (
        LakipVersi.objects.filter(opd_id=opd_id, tahun__lte=just_ended)
        .order_by("-tahun")
        .values_list("tahun", flat=True)
        .first()
    )
    if final is not None:
        return int(final)
    # The year's IKU as the dashboard counts them (indicators.selectors.iku_of_year): the
    # sasaran's IKU with a target that year.
    iku = {
        "indikator__periode__opd_id": opd_id,
        "indikator__jenis": Jenis.IKU,
        "indikator__sasaran__isnull": False,
        "tahun__lte": just_ended,
    }
    targeted: dict[int, set[int]] = defaultdict(set)
    for ind, tahun in Target.objects.filter(**iku).values_list("indikator_id", "tahun"):
        targeted[tahun].add(ind)
    reported: dict[int, set[int]] = defaultdict(set)
    for ind, tahun in Realisasi.objects.filter(**iku).values_list("indikator_id", "tahun"):
        reported[tahun].add(ind)
    complete = [tahun for tahun, ids in targeted.items() if ids <= reported[tahun]]
    if complete:
        return max(complete)
    return default_year(opd_id)
