from django.contrib.auth import get_user_model
from django.db.models import Q


def applicant_people(application):
    """Everyone who acts for the application's organisation."""
    return get_user_model().objects.filter(is_active=True, memberships__organisation=application.organisation_id)


def staff_with_permission(*, authority, permission: str):
    """Active staff of the authority holding `app_label.codename`, through a group or directly."""
    app_label, codename = permission.split(".")
    has_perm = (Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label)
                | Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label))
    return (get_user_model().objects.filter(is_active=True, staff_memberships__authority=authority)
            .filter(has_perm).distinct())
