from celery import shared_task
from viewflow.workflow import timers


@shared_task
def fire_due_timers() -> None:
    """Celery beat fires viewflow's database timers (deadlines that move a flow)."""
    timers.fire_due_timers()
