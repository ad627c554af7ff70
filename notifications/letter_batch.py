"""Building the ZIP of a letter batch (fonds.models.LetterBatch): one PDF per letter, named by its number."""

import io
import zipfile

from django.utils import timezone

from fonds.models import Letter, LetterBatch
from fonds.services.letter_batches import (
    letter_batch_entry_name,
    letter_batch_fail,
    letter_batch_finish,
    letter_batch_progress,
    letter_batch_running,
)

from .letters import render_letter_pdf


def letter_batch_pdf(letter: Letter, render_stored) -> bytes:
    """The PDF as the recipient has it (issued), or the draft with its mark. A letter still waiting for its
    PDF is stored first by the letters' own task code, so that it too is rendered once only."""
    if letter.status == Letter.Status.QUEUED:
        render_stored(letter.pk)
        letter.refresh_from_db()
    if letter.status == Letter.Status.ISSUED:
        with letter.pdf.open("rb") as handle:
            return handle.read()
    return render_letter_pdf(letter)


def letter_batch_build(batch: LetterBatch, *, render_stored) -> LetterBatch:
    letter_batch_running(batch)
    letters = {letter.pk: letter for letter in Letter.objects.filter(pk__in=batch.letter_ids)}
    # Fixed entry times: the same batch always gives the same bytes.
    stamp = timezone.localtime(batch.created_at).timetuple()[:6]
    buffer = io.BytesIO()
    try:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, pk in enumerate(batch.letter_ids, start=1):
                letter = letters.get(pk)
                if letter is not None:  # a draft sent back and discarded meanwhile has nothing to show
                    info = zipfile.ZipInfo(letter_batch_entry_name(letter), date_time=stamp)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, letter_batch_pdf(letter, render_stored))
                letter_batch_progress(batch, done)
    except OSError:
        raise  # retried by the task
    except Exception as error:
        letter_batch_fail(batch=batch, error=f"{type(error).__name__}: {error}")
        raise
    return letter_batch_finish(batch=batch, content=buffer.getvalue())
