"""Per-fund letter texts, versioned: an edit is a new version; letters freeze the version they were drafted with."""

from django.db import transaction
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.letter_texts import BLOCKS, DEFAULTS, blocks_resolve, blocks_validate
from fonds.models import Fund, LetterTemplate
from fonds.services.audit import audit_record


def letter_template_current(*, fund: Fund, kind: str) -> LetterTemplate | None:
    return LetterTemplate.objects.filter(fund=fund, kind=kind).order_by("-version").first()


def letter_template_texts(*, fund: Fund, kind: str) -> tuple[dict, LetterTemplate | None]:
    """The unresolved texts a new letter of `kind` uses: the fund's current version, else the defaults."""
    template = letter_template_current(fund=fund, kind=kind)
    return ({**DEFAULTS.get(kind, {}), **template.blocks} if template else dict(DEFAULTS.get(kind, {})), template)


def letter_template_text_for(*, application, kind: str, key: str, content: dict | None = None) -> str:
    """One of the fund's texts resolved for `application`, e.g. to prefill a form field with it."""
    from fonds.services.letters import letter_snapshot  # letters imports this module

    texts, _template = letter_template_texts(fund=application.fund, kind=kind)
    data = {**letter_snapshot(application), "content": content or {}}
    return blocks_resolve(kind, texts, data)[key]


def letter_blocks_freeze(*, fund: Fund, kind: str, data: dict) -> None:
    """Resolve the texts for a letter being drafted and freeze them with the template version into `data`."""
    if kind not in BLOCKS:
        return
    texts, template = letter_template_texts(fund=fund, kind=kind)
    data["blocks"] = blocks_resolve(kind, texts, data)
    data["template"] = {"id": template.pk, "version": template.version} if template else None


@transaction.atomic
def letter_template_save(*, actor, fund: Fund, kind: str, blocks: dict, note: str) -> LetterTemplate:
    """A new version of the fund's texts for `kind`. Refused, with nothing stored, if a text is empty or
    names a placeholder that is not allowed for the kind."""
    if not note.strip():
        raise DomainError(_("Bitte vermerken Sie kurz, was geändert wurde."), field="note")
    cleaned = blocks_validate(kind, blocks)
    Fund.objects.select_for_update().get(pk=fund.pk)  # versions of one fund are numbered one after another
    current = letter_template_current(fund=fund, kind=kind)
    before = current.blocks if current else DEFAULTS[kind]
    if cleaned == before:
        raise DomainError(_("Die Texte sind unverändert; es wurde keine neue Version angelegt."))
    template = LetterTemplate.objects.create(fund=fund, kind=kind, version=(current.version + 1) if current else 1,
                                             blocks=cleaned, note=note.strip(), created_by=actor)
    audit_record(actor=actor, action=f"letter_template.{kind}.saved", obj=template,
                 before={"version": current.version if current else None, "blocks": before},
                 after={"version": template.version, "blocks": cleaned, "note": template.note})
    return template
