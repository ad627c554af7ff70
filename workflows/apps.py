from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Förderverfahren")

    def ready(self):
        # The flow must be imported before `migrate` so viewflow creates its permissions,
        # and the receiver that continues the flow after a letter is stored must be connected.
        from . import flows, receivers  # noqa: F401
