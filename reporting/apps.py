from django.apps import AppConfig


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"
    verbose_name = "Pelaporan"

    def ready(self) -> None:
        from . import reviu  # noqa: F401 (registers the review notes' write services)
