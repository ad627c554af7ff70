from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from viewflow import jsonstore
from viewflow.workflow.models import Process

from fonds.models import Application


class GrantProcess(Process):
    """The viewflow process of one application. The application itself is the artifact; the JSON data
    holds only the transient flags that steer the gateways."""

    eligibility = jsonstore.CharField(_("Ergebnis der Prüfung"), max_length=20, blank=True)
    recommendation_returned = jsonstore.BooleanField(_("Stellungnahme zurückgegeben"), default=False)
    board_outcome = jsonstore.CharField(_("Beschluss des Beirats"), max_length=20, blank=True)
    bescheid_returned = jsonstore.BooleanField(_("Bescheid zurückgegeben"), default=False)
    payment_requested = jsonstore.BooleanField(_("Mittel abgerufen"), default=False)
    payment_declined = jsonstore.BooleanField(_("Mittelabruf zurückgewiesen"), default=False)
    final_payment = jsonstore.BooleanField(_("Schlusszahlung"), default=False)
    use_report_accepted = jsonstore.BooleanField(_("Verwendungsnachweis anerkannt"), default=False)

    class Meta:
        proxy = True
        ordering = ["-created"]
        verbose_name = _("Förderverfahren")
        verbose_name_plural = _("Förderverfahren")

    @property
    def application(self) -> Application:
        return self.artifact

    @classmethod
    def for_application(cls, application):
        return cls.objects.filter(artifact_content_type=ContentType.objects.get_for_model(Application),
                                  artifact_object_id=application.pk).first()
