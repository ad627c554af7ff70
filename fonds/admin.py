from django.contrib import admin

from fonds import models


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


for model in (models.Authority, models.StaffMembership, models.Fund, models.BudgetLine, models.Organisation,
              models.Membership, models.BaseRate):
    admin.site.register(model)
