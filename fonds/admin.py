from django.contrib import admin

from fonds import models
from fonds.area_admin import FundAdmin
from fonds.measure_forms import MeasureForm


class RuleSetInline(admin.StackedInline):
    model = models.RuleSet
    extra = 0


@admin.register(models.FundingRound)
class FundingRoundAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "opens_on", "closes_on"]
    inlines = [RuleSetInline]


@admin.register(models.AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "action", "object_type", "object_id"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (models.Authority, models.StaffMembership, models.BudgetLine, models.Organisation,
              models.Membership, models.BaseRate):
    admin.site.register(model)
admin.site.register(models.Fund, FundAdmin)  # with the upload of the eligible area


class MilestoneInline(admin.TabularInline):
    model = models.Milestone
    extra = 1


class MeasureFundingInline(admin.TabularInline):
    model = models.MeasureFunding
    extra = 1


@admin.register(models.Measure)
class MeasureAdmin(admin.ModelAdmin):
    form = MeasureForm
    list_display = ["number", "title", "field_of_action", "status", "public", "open_for_applications"]
    list_filter = ["field_of_action", "status", "public", "open_for_applications"]
    inlines = [MilestoneInline, MeasureFundingInline]


@admin.register(models.PublicationConsent)
class PublicationConsentAdmin(admin.ModelAdmin):
    """Read only: the recipient gives and withdraws the consent in the portal."""

    list_display = ["application", "given_at", "given_by", "withdrawn_at"]
    readonly_fields = [f.name for f in models.PublicationConsent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "page", "email", "answered_at"]
    readonly_fields = ["page", "message", "name", "email", "user", "created_at"]


@admin.register(models.Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "invited_by", "created_at", "accepted_at", "revoked_at"]
    readonly_fields = ["organisation", "email", "invited_by", "created_at", "accepted_at", "accepted_by"]


# --- The Stadtteilbüro's network ------------------------------------------------------------------------


class ContactInline(admin.TabularInline):
    model = models.Contact
    extra = 0
    fields = ["name", "function", "email", "phone", "language"]
    show_change_link = True


@admin.register(models.Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "street", "organisation"]
    list_filter = ["kind", "topics"]
    search_fields = ["name", "street", "contacts__name", "contacts__email"]
    filter_horizontal = ["topics", "measures"]
    inlines = [ContactInline]


class ConsentInline(admin.TabularInline):
    """Consents are recorded and withdrawn on the staff page (fonds/network_views.py), where the history is kept;
    here they are shown only."""

    model = models.Consent
    extra = 0
    readonly_fields = ["purpose", "given_at", "source", "recorded_by", "withdrawn_at", "withdrawn_note"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "actor", "email", "anonymised_at"]
    search_fields = ["name", "email", "actor__name"]
    readonly_fields = ["anonymised_at"]
    inlines = [ConsentInline]


class EventInvitationInline(admin.TabularInline):
    model = models.EventInvitation
    extra = 0
    fields = ["contact", "email_status", "sent_at", "registered_at", "attended"]
    readonly_fields = ["contact", "email_status", "sent_at", "registered_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # invitations go out from the event's staff page, only to contacts who agreed


@admin.register(models.NetworkEvent)
class NetworkEventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "place"]
    list_filter = ["kind"]
    inlines = [EventInvitationInline]


for model in (models.Topic, models.Cooperation):
    admin.site.register(model)


@admin.register(models.ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    list_display = ["decided_at", "contact", "outcome", "decided_by"]
    readonly_fields = ["contact", "outcome", "reason", "decided_by", "decided_at"]


class BoardMemberInline(admin.TabularInline):
    model = models.BoardMember
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "organisation", "term_from", "term_until"]


@admin.register(models.Board)
class BoardAdmin(admin.ModelAdmin):
    """The fund admin keeps the board, its rules of procedure and its members here."""

    list_display = ["name", "fund", "quorum_percent", "silence_is_consent"]
    inlines = [BoardMemberInline]


class StandingInterestInline(admin.TabularInline):
    model = models.StandingInterest
    extra = 0


@admin.register(models.BoardMember)
class BoardMemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "board", "role", "organisation", "term_from", "term_until"]
    list_filter = ["board", "role"]
    list_select_related = ["user", "board__fund"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation"]
    autocomplete_fields = ["user"]
    inlines = [StandingInterestInline]


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Read-only: meetings are prepared and minuted on their own pages (/beirat/sitzungen/)."""

    list_display = ["__str__", "board", "status", "place"]
    list_filter = ["board", "status", "kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
