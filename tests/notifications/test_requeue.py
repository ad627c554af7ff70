"""A letter whose rendering message was lost (broker down at commit, worker killed) is not lost."""

from datetime import timedelta

from django.utils import timezone
from viewflow.workflow.status import STATUS

from fonds.models import Letter, Stage
from notifications.tasks import requeue_unrendered_letters
from workflows import demo, services
from workflows.flows import GrantFlow
from workflows.models import GrantProcess


def test_beat_requeues_a_letter_whose_message_was_lost_and_the_flow_moves_on(world):
    alice = world["users"]["alice"]
    application = demo.draft(world, world["dia"], alice, "Ampeln", [("Ampeln", "2000", "2380")])
    # No on-commit callbacks run here: exactly what happens when the broker is unreachable at commit.
    services.submit_and_start(actor=alice, application=application)
    letter = application.letters.get(kind=Letter.Kind.RECEIPT)
    assert letter.status == Letter.Status.QUEUED

    assert requeue_unrendered_letters() == 0  # too young: its message may still be on its way
    Letter.objects.filter(pk=letter.pk).update(issued_at=timezone.now() - timedelta(minutes=10))
    assert requeue_unrendered_letters() == 1

    letter.refresh_from_db()
    assert letter.status == Letter.Status.ISSUED and letter.sha256
    process = GrantProcess.for_application(application)
    assert process.task_set.filter(flow_task=GrantFlow.eligibility, status=STATUS.NEW).exists()
    application.refresh_from_db()
    assert application.stage == Stage.ELIGIBILITY
    assert requeue_unrendered_letters() == 0
