from django.apps import AppConfig


class RenstraConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "renstra"
    verbose_name = "Renstra"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save, pre_save

        from . import pemda  # noqa: F401 (registers the kabupaten's write services)
        from .models import Opd
        from .permissions import ensure_groups
        from .versions import on_change, on_opd_moving

        # Not sender-bound: permissions of later apps exist only after their own post_migrate,
        # so the groups are (idempotently) completed after every app.
        post_migrate.connect(ensure_groups, dispatch_uid="kinerja_ensure_groups")
        # Every write to the plan raises the data version (renstra.versions).
        post_save.connect(on_change, dispatch_uid="kinerja_data_version_save")
        post_delete.connect(on_change, dispatch_uid="kinerja_data_version_delete")
        pre_save.connect(on_opd_moving, sender=Opd, dispatch_uid="kinerja_data_version_opd_move")
