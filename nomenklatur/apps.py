from django.apps import AppConfig


class NomenklaturConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nomenklatur"
    verbose_name = "Nomenklatur Kemendagri"
