from .models import Notification


def unread_notifications(request):
    """The bell's count on every page: one query, only for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(recipient=user, read_at__isnull=True).count()}
