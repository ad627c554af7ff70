import logging

from django.dispatch import receiver
from viewflow.workflow.status import STATUS

from notifications.signals import letter_stored

from . import notify
from .flows import LETTER_HANDLES
from .models import GrantProcess

logger = logging.getLogger(__name__)


@receiver(letter_stored)
def continue_after_letter(sender, letter, **kwargs):
    """The flow waits in a Handle node until its letter is stored. Idempotent: a redelivered
    rendering task finds no waiting Handle and changes nothing."""
    node = LETTER_HANDLES.get(letter.kind)
    if node is None:
        # Letters beside the flow's main line (Nachforderung, Anhörung, Änderungsbescheid, Auszahlungs-
        # mitteilung): nothing waits for them; the applicant hears of them directly (idempotent by key).
        notify.letter_stored(letter)
        return
    process = GrantProcess.for_application(letter.application)
    task = process.task_set.filter(flow_task=node, status=STATUS.NEW).first() if process else None
    if task is None:
        logger.info("Letter %s stored; no flow step waiting for it", letter.number)
        return
    node.run(task, letter=letter)
