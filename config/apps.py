"""Indonesian names for libraries' apps in the admin (the documented way: a subclass of the
app's config in INSTALLED_APPS; the app label, and so every migration, stays the library's)."""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "Percobaan masuk"


class TasksDbConfig(TasksAppConfig):
    verbose_name = "Antrean tugas latar"


class KinerjaAdminConfig(AdminConfig):
    """django.contrib.admin with Kinerja's site (entry by role)."""

    default_site = "config.admin_site.KinerjaAdminSite"
