"""The evaluasi app: the LKE of PermenPANRB 88/2021 — the instrument as versioned data, the
OPD's self-assessment and the Inspektorat's evaluation, their nilai and predikat; the top of
the house below the API (it reads the plan, the reports and the document register)."""

from django.apps import AppConfig


class EvaluasiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluasi"
    verbose_name = "Evaluasi AKIP"

    def ready(self) -> None:
        from reporting import dashboard_panels

        from . import followup

        # The OPD's dashboard lists its open recommendations; reporting draws the panel
        # through this hook, as it may not import evaluasi.
        dashboard_panels.register("rekomendasi-evaluasi", followup.dashboard_panel)
