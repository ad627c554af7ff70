import logging

from django.dispatch import receiver
from viewflow.workflow.status import STATUS

from notifications.signals import letter_stored

from .flows import LETTER_HANDLES
from .models import GrantProcess

logger = logging.getLogger(__name__)


@receiver(letter_stored)
def continue_after_letter(sender, letter, **kwargs):
    """The flow waits in a Handle node until its letter is stored. Idempotent: a redelivered
    rendering task finds no waiting Handle and changes nothing."""
    process = GrantProcess.for_application(letter.application)
    node = LETTER_HANDLES.get(letter.kind)  # letters issued alongside another (de-minimis) have no step of their own
    task = process.task_set.filter(flow_task=node, status=STATUS.NEW).first() if process and node else None
    if task is None:
        logger.info("Letter %s stored; no flow step waiting for it", letter.number)
        return
    node.run(task, letter=letter)
