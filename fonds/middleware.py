"""The session's inactivity timeout without a database write on every request."""

import time

RENEWED_KEY = "_renewed"
# The expiry moves at most this often; the inactivity timeout is exact to within this many seconds.
RENEW_EVERY_SECONDS = 60


class SessionRenewalMiddleware:
    """Renews a session's expiry (SESSION_COOKIE_AGE from now) when it was last renewed more than a minute ago.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) costs a write per page view; marking the
    session modified once a minute keeps the same idle timeout with one write per minute of activity. Sits
    after SessionMiddleware, which saves a modified session and sends the cookie with the new expiry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response  # a visitor without a session: nothing to keep alive
        renewed = session.get(RENEWED_KEY, 0)
        if session.session_key is None:
            return response  # the cookie named a session that has run out: don't start a new one
        now = int(time.time())
        if now - renewed >= RENEW_EVERY_SECONDS:
            session[RENEWED_KEY] = now
        return response


def renewed_at_login(sender, request, user, **kwargs):
    """A login has just saved the session with a fresh expiry: the next minute needs no renewal."""
    if getattr(request, "session", None) is not None:
        request.session[RENEWED_KEY] = int(time.time())
