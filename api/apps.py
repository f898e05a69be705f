from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The versioned REST API (/api/v1/): reads with the pages' visibility, bulk realisasi
    through the same services as the workbook, personal tokens only. The top layer: nothing
    imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "API"
