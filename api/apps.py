from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The versioned REST API (/api/v1/): reads with the pages' visibility, bulk realisasi
    through the same services as the workbook, personal tokens only. The top layer: nothing
    imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Each kind of set registers itself for the background task (api.tasks.KINDS): a
        # worker process that never loads the URLs knows them too.
        from . import sets, target_sets  # noqa: F401
