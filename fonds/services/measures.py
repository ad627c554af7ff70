"""Measures kept by the Stadtteilbüro. A measure's public photo goes through the same checks as an applicant's
upload: name and content agree, size limit, drawn anew without metadata (GPS position!). Only pictures: the photo
is shown on a public page."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.models import Measure, Milestone
from fonds.services.audit import audit_record
from fonds.services.document_checks import check_content_matches, claimed_content_type, reencode_image
from fonds.services.documents import mb


def measure_photo_checked(uploaded_file) -> ContentFile:
    """The photo as it will be stored, or DomainError with a German reason."""
    name = uploaded_file.name or ""
    claimed = claimed_content_type(name)
    if claimed not in ("image/jpeg", "image/png"):
        raise DomainError(_("Bitte laden Sie ein Foto als JPEG oder PNG hoch."), field="photo")
    limit = settings.FONDSFLOW_MAX_UPLOAD_BYTES
    if not uploaded_file.size or uploaded_file.size > limit:
        raise DomainError(_("Das Foto ist leer oder größer als %(limit)s.") % {"limit": mb(limit)}, field="photo")
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    check_content_matches(name=name, claimed=claimed, data=data)
    content = reencode_image(data, content_type=claimed, max_pixels=settings.FONDSFLOW_MAX_IMAGE_PIXELS)
    return ContentFile(content, name="foto.png" if claimed == "image/png" else "foto.jpg")


@transaction.atomic
def measure_update(*, actor, measure: Measure, fields: dict, milestones: list[dict]) -> Measure:
    """Change the measure and its milestones as the staff page sends them. `milestones`: dicts with `id` (None for
    a new one), `title`, `due`, `done_on` and `delete`. Audited with before and after."""
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    before = {name: getattr(measure, name) for name in fields if name != "photo"}
    photo = fields.pop("photo", None)
    for name, value in fields.items():
        setattr(measure, name, value)
    if photo is False:  # "clear" ticked
        measure.photo = ""
    elif isinstance(photo, ContentFile):  # a new photo, already checked and drawn anew (measure_photo_checked)
        measure.photo.save(photo.name, photo, save=False)
    measure.full_clean()
    measure.save()
    own = {m.pk: m for m in measure.milestones.all()}
    for item in milestones:
        existing = own.get(item.get("id"))
        if item.get("id") and existing is None:
            raise DomainError(_("Dieser Meilenstein gehört nicht zu der Maßnahme."))
        if existing is not None and item.get("delete"):
            existing.delete()
            continue
        if not item.get("title"):
            continue
        milestone = existing or Milestone(measure=measure)
        milestone.title, milestone.due, milestone.done_on = item["title"], item.get("due"), item.get("done_on")
        milestone.full_clean()
        milestone.save()
    audit_record(actor=actor, action="measure.updated", obj=measure, before=before,
                 after={**{name: getattr(measure, name) for name in before},
                        "milestones": [(m.title, m.due, m.done_on) for m in measure.milestones.all()]})
    return measure
