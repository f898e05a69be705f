from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in, passwords, reset links, two-factor, sessions and the account pages. It sits
    above ``renstra`` (a role, an assignment and who may manage whose account come from there)
    and beside ``indicators``: nothing of the plan depends on how a person signs in."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Akun"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import identity
        from .admin import hide_library_admins
        from .signin import on_user_logged_in

        user_logged_in.connect(on_user_logged_in, dispatch_uid="kinerja_password_change_check")
        identity.connect()
        # After the admin's autodiscovery (django.contrib.admin's ready() ran first).
        hide_library_admins()
