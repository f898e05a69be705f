from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"
    verbose_name = "Indikator Kinerja"

    def ready(self) -> None:
        # The write services register their doors on import; adapters other than the admin
        # (imports, commands) must find them too.
        from . import formula_services, rencana_aksi  # noqa: F401
        from .services import indikator, pendukung, realisasi, skala, target  # noqa: F401
