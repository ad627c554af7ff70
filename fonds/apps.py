from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FondsConfig(AppConfig):
    name = "fonds"
    verbose_name = _("Förderfonds")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import renewed_at_login

        user_logged_in.connect(renewed_at_login, dispatch_uid="fonds.session_renewed_at_login")
