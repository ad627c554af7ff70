class DomainError(Exception):
    """A rule of the fund refuses what was asked. The message is German and shown to the user as is."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field
