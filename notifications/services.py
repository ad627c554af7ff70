from django.db import transaction

from fonds.models import Letter


def letter_render_async(*, letter: Letter) -> None:
    """Queue the PDF rendering once the current transaction commits (never before: the worker
    must see the letter row)."""
    from notifications.tasks import render_letter

    letter_pk = letter.pk
    transaction.on_commit(lambda: render_letter.delay(letter_pk))
