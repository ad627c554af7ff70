"""Funded projects made straight in the database (the flow that gets them there is tested elsewhere)."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.core.files.base import ContentFile
from django.utils import timezone

from fonds.models import Application, Document, PublicationConsent, Stage

_numbers = count(1)


def funded(world, title="Bänke am Markt", *, stage=Stage.CLOSED, org=None, measure=None, round_=None,
           latitude=Decimal("51.660700"), longitude=Decimal("6.965500"), grant=Decimal("2380.00")):
    today = timezone.localdate()
    round_ = round_ or world["round"]
    n = next(_numbers)
    return Application.objects.create(
        fund=round_.fund, round=round_, rules=round_.current_rules, organisation=org or world["dia"],
        created_by=world["users"]["alice"], stage=stage, file_number=f"AF-T-{n:04d}", title=title,
        description=f"{title}: dauerhaft und öffentlich zugänglich.", location="Markt 3, 46282 Dorsten",
        latitude=latitude, longitude=longitude, measure=measure if measure is not None else world["measure"],
        planned_start=today, planned_end=today + timedelta(days=90), privacy_acknowledged_at=timezone.now(),
        truth_declared_at=timezone.now(), approved_grant=grant, requested_grant=grant)


def consent(application, *fields, by=None):
    return PublicationConsent.objects.create(
        application=application, given_by=by or application.created_by,
        **{f"show_{name}": True for name in fields})


def photo(application, content: bytes):
    document = Document(application=application, kind=Document.Kind.FINISHED_PHOTO, original_name="fertig.png",
                        content_type="image/png", size=len(content), sha256="0" * 64,
                        uploaded_by=application.created_by)
    document.file.save("fertig.png", ContentFile(content), save=False)
    document.save()
    return document
