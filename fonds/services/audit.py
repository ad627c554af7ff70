import datetime as dt
from decimal import Decimal

from fonds.models import AuditEvent


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def audit_record(*, actor, action: str, obj, application=None, before=None, after=None) -> AuditEvent:
    """Append one row to the audit log. `actor` None means the system (Celery, commands)."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=(actor.get_full_name() or actor.get_username()) if actor is not None else "System",
        action=action,
        application=application,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        before=_jsonable(before),
        after=_jsonable(after),
    )
