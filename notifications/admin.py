from django import forms
from django.contrib import admin
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .emails import DEFAULTS, render_parts, sample_context, validate_template
from .events import EVENTS, get_event
from .models import EmailTemplate, Notification, NotificationSettings

# What a placeholder holds, where that is not obvious from its name.
_HINTS = {
    "waiting": gettext_lazy("Liste mit label und count, z. B. "
                            "{% for row in waiting %}{{ row.label }}: {{ row.count }}{% endfor %}"),
    "items": gettext_lazy("Text, mehrzeilig"),
    "weeks": gettext_lazy("Zahl"),
}


def _placeholders(event: str) -> str:
    return ", ".join("{{ " + name + " }}" + (f" ({_HINTS[name]})" if name in _HINTS else "")
                     for name in get_event(event).all_placeholders)


class EmailTemplateForm(forms.ModelForm):
    class Meta:
        model = EmailTemplate
        fields = ["fund", "event", "language", "subject", "text_body", "html_body"]
        widgets = {"text_body": forms.Textarea(attrs={"rows": 18, "cols": 90}),
                   "html_body": forms.Textarea(attrs={"rows": 10, "cols": 90})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("event") and "subject" in cleaned and "text_body" in cleaned:
            validate_template(event=cleaned["event"], subject=cleaned["subject"], text_body=cleaned["text_body"],
                              html_body=cleaned.get("html_body", ""))
        return cleaned


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    """A fund's own wording of an event's e-mail. Fund admins see the funds of their authority only."""

    form = EmailTemplateForm
    list_display = ["fund", "event", "language", "subject", "updated_at"]
    list_filter = [("fund", admin.RelatedOnlyFieldListFilter), "event", "language"]
    list_select_related = ["fund"]
    search_fields = ["subject", "text_body"]
    readonly_fields = ["preview"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(fund__authority__staff_memberships__user=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "fund" and not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model.objects.filter(
                authority__staff_memberships__user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        fields = ["fund", "event", "language", "subject", "text_body", "html_body"]
        return fields + ["preview"] if obj is not None else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["text_body"].help_text = self._placeholder_help(obj.event if obj else None)
        form.base_fields["html_body"].help_text = _(
            "Leer lassen: Die HTML-Fassung wird aus dem Text erzeugt (Absätze, anklickbare Links, Knopf zum "
            "Portal). Sonst nur den Inhalt eingeben; Rahmen und Fußzeile kommen automatisch dazu.")
        return form

    @staticmethod
    def _placeholder_help(event: str | None):
        intro = _("Platzhalter stehen in doppelten geschweiften Klammern. Briefe werden nie angehängt, sondern "
                  "mit {{ letter_link }} ins Portal verlinkt, wo es diesen Platzhalter gibt.") + " "
        if event:
            return format_html("{}{}: {}", intro, _("Verfügbar für „%(event)s“") % {"event": EVENTS[event].label},
                               _placeholders(event))
        rows = format_html_join("", "<li>{}: {}</li>", ((spec.label, _placeholders(code))
                                                        for code, spec in EVENTS.items()))
        return format_html("{}{}:<ul>{}</ul>", intro, _("Verfügbar je Ereignis"), rows)

    def get_changeform_initial_data(self, request):
        """?event=…&language=… on the add page starts from the shipped text."""
        initial = super().get_changeform_initial_data(request)
        event, language = initial.get("event"), initial.get("language")
        if event in DEFAULTS and language in DEFAULTS[event]:
            subject, text = DEFAULTS[event][language]
            initial.setdefault("subject", subject)
            initial.setdefault("text_body", text)
        return initial

    @admin.display(description=gettext_lazy("Vorschau"))
    def preview(self, obj):
        if obj is None or not obj.pk:
            return _("Die Vorschau erscheint nach dem Speichern.")
        try:
            rendered = render_parts(event=obj.event, language=obj.language,
                                    context=sample_context(obj.event, obj.language),
                                    subject=obj.subject, text_body=obj.text_body, html_body=obj.html_body)
        except Exception as exc:  # e.g. a template saved before its event lost a placeholder: show, don't crash
            return _("Die Vorlage lässt sich nicht darstellen: %(error)s") % {"error": exc}
        # The HTML is shown in a sandboxed frame (no scripts, no same origin), always escaped into srcdoc.
        return format_html(
            '<div class="email-preview" style="max-width:46rem">'
            "<p>{}</p>"
            "<p><strong>{}:</strong> {}</p>"
            '<p><strong>Text:</strong></p><pre style="white-space:pre-wrap;border:1px solid #ccc;padding:8px">{}</pre>'
            "<p><strong>HTML:</strong></p>"
            '<iframe sandbox title="{}" srcdoc="{}" '
            'style="width:100%;height:36rem;border:1px solid #ccc"></iframe></div>',
            _("Mit Beispielwerten aus Dorsten."), _("Betreff"), rendered.subject, rendered.text,
            _("HTML-Fassung der E-Mail (Vorschau)"), escape(rendered.html))


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, to look into; resending a failed e-mail is a staff action in the app, not an edit here."""

    list_display = ["created_at", "recipient", "event", "email_status", "attempts"]
    list_filter = ["email_status", "event"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "recipient__email", "key"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NotificationSettingsForm(forms.ModelForm):
    # Legal notices always go out by e-mail, so only the others can be muted.
    muted_events = forms.MultipleChoiceField(
        label=gettext_lazy("Nur in der App (keine E-Mail)"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(code, spec.label) for code, spec in EVENTS.items() if not spec.legal],
        help_text=gettext_lazy("Rechtlich wichtige Mitteilungen (z. B. Bescheide) kommen immer auch per E-Mail."))

    class Meta:
        model = NotificationSettings
        fields = ["user", "language", "muted_events"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    form = NotificationSettingsForm
    list_display = ["user", "language"]
    list_filter = ["language"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
