from django.contrib import admin

from fonds import models
from fonds.area_admin import FundAdmin


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


@admin.register(models.Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "field_of_action", "status", "open_for_applications"]
    list_filter = ["field_of_action", "status", "open_for_applications"]


@admin.register(models.AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "page", "email", "answered_at"]
    readonly_fields = ["page", "message", "name", "email", "user", "created_at"]


@admin.register(models.Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "invited_by", "created_at", "accepted_at", "revoked_at"]
    readonly_fields = ["organisation", "email", "invited_by", "created_at", "accepted_at", "accepted_by"]


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
