from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """Getting data in: workbooks, the IKU/IK decree and the seed dataset. Every write goes
    through the services of renstra, indicators and reporting."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "intake"
    verbose_name = "Impor data"
