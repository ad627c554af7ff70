class DomainError(Exception):
    """A rule of the fund refuses what was asked. The message is shown to the user as is, so it is translated
    (gettext) when raised: German, or English where the user reads the portal in English."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field
