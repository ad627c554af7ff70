"""E-mail texts: subject, text body and HTML body of every event, in German and English.

A fund may word an event its own way (`EmailTemplate`); otherwise the shipped `DEFAULTS` are used. Templates
are Django template strings over the notification's JSON context (amounts and dates arrive formatted). A
placeholder that is not in the context is an error, never a silently blank gap in a letter to a citizen.
Letters are never attached: they are private, so the texts link to them in the portal."""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import FilterExpression, Node, NodeList, TextNode, Variable, VariableNode
from django.template.defaulttags import ForNode, WithNode
from django.template.loader import render_to_string
from django.template.smartif import TokenBase
from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .email_texts import DEFAULTS  # the shipped texts, re-exported
from .events import APPLICANT, BOARD, CONTACT, get_event

LANGUAGES = ("de", "en")
FALLBACK_LANGUAGE = "de"

# What a missing variable renders as: unmistakable, so render_email can refuse the message.
MISSING_MARKER = "⟪fehlt:%s⟫"
_MISSING_RE = re.compile(re.escape(MISSING_MARKER).replace("%s", "(.*?)"))

# Strings only: no loaders (no {% include %}), no tag libraries beyond the built-in ones.
_ENGINE = Engine(loaders=[], libraries={}, string_if_invalid=MISSING_MARKER)


_LAYOUT = {
    "de": {"button": "Im Portal öffnen", "footer": "Diese Nachricht wurde automatisch von Fondsflow versandt."},
    "en": {"button": "Open in the portal", "footer": "This message was sent automatically by Fondsflow."},
}


class MissingPlaceholder(ValueError):
    """The template uses a placeholder the notification's context does not have."""

    def __init__(self, names, event: str = ""):
        self.names = tuple(names)
        listed = ", ".join(_ph(name) for name in self.names)
        where = f" der E-Mail „{event}“" if event else ""
        super().__init__(f"Platzhalter fehlt im Kontext{where}: {listed}")


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(*, event: str, language: str, context: dict, fund=None) -> RenderedEmail:
    """The e-mail of `event` for a recipient reading `language`, in the fund's wording if it has its own."""
    get_event(event)
    language = language if language in LANGUAGES else FALLBACK_LANGUAGE
    subject, text_body, html_body = _sources(event, language, fund)
    return render_parts(event=event, language=language, context=context,
                        subject=subject, text_body=text_body, html_body=html_body)


def _sources(event: str, language: str, fund) -> tuple[str, str, str]:
    from .models import EmailTemplate

    if fund is not None:
        own = EmailTemplate.objects.filter(fund=fund, event=event, language=language).first()
        if own is not None:
            return own.subject, own.text_body, own.html_body
    shipped = DEFAULTS[event]
    subject, text = shipped.get(language) or shipped[FALLBACK_LANGUAGE]
    return subject, text, ""


def render_parts(*, event: str, language: str, context: dict, subject: str, text_body: str,
                 html_body: str = "") -> RenderedEmail:
    """Render given template strings (a saved template, or a draft in the admin preview)."""
    subject = " ".join(_render(subject, context, event=event, html=False).split())
    # Browsers send textarea input with CRLF; paragraphs are found on plain LF.
    text = _render(text_body, context, event=event, html=False).replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip() + "\n"
    link = str(context.get("link") or "")
    if (html_body or "").strip():
        content = _render(html_body, context, event=event, html=True)
    else:
        content = text_to_html(text, link=link)
    layout = _LAYOUT.get(language, _LAYOUT[FALLBACK_LANGUAGE])
    html = render_to_string("notifications/email_base.html", {
        "language": language, "subject": subject, "content": mark_safe(content), "link": link,
        # The portal link once as a button: only if the content does not already lead there.
        "show_button": bool(link) and f'href="{escape(link)}"' not in content,
        "button": layout["button"], "footer": layout["footer"],
    })
    return RenderedEmail(subject=subject, text=text, html=html)


def text_to_html(text: str, *, link: str = "") -> str:
    """The text body as HTML: escaped, a paragraph per blank-line block, line breaks kept, URLs clickable.
    A block that ends with the portal link shows it as a button-like link whose text is the line before it."""
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text.strip()):
        lines = block.strip("\n").split("\n")
        button = None
        if link and len(lines) > 1 and lines[-1].strip() == link and lines[-2].strip():
            button = (f'<p style="margin:24px 0"><a href="{escape(link)}" style="{_BUTTON_STYLE}">'
                      f"{escape(lines[-2].strip().rstrip(':'))}</a></p>")
            lines = lines[:-2]
        if lines:
            html_lines = [urlize(line, autoescape=True) for line in lines]
            paragraphs.append('<p style="margin:0 0 16px">' + "<br>\n".join(html_lines) + "</p>")
        if button:
            paragraphs.append(button)
    return "\n".join(paragraphs)


_BUTTON_STYLE = ("display:inline-block;padding:12px 20px;background:#00508c;color:#ffffff;font-weight:bold;"
                 "text-decoration:none;border-radius:4px")


@lru_cache(maxsize=512)
def _compile(source: str) -> Template:
    return _ENGINE.from_string(source)


def _render(source: str, context: dict, *, event: str, html: bool) -> str:
    template = _compile(source)
    absent = sorted(template_variables(template) - set(context))
    if absent:
        raise MissingPlaceholder(absent, event)
    output = template.render(Context(context, autoescape=html))
    missing = _MISSING_RE.findall(output)
    if missing:
        raise MissingPlaceholder(sorted(set(missing)), event)
    return output


def _ph(name: str) -> str:
    return "{{ " + name + " }}"


# --- Which variables a template uses ---------------------------------------------------------------------

def template_variables(template: Template) -> set[str]:
    """The context names a template reads (first part of each variable), without names it binds itself
    ({% for row in waiting %} reads `waiting` and binds `row`)."""
    return _in_nodelist(template.nodelist, frozenset())


def _in_nodelist(nodelist, bound) -> set[str]:
    names = set()
    for node in nodelist or ():
        names |= _in_node(node, bound)
    return names


def _in_node(node: Node, bound) -> set[str]:
    if isinstance(node, ForNode):
        inner = bound | set(node.loopvars) | {"forloop"}
        return (_in_value(node.sequence, bound) | _in_nodelist(node.nodelist_loop, inner)
                | _in_nodelist(node.nodelist_empty, bound))
    if isinstance(node, WithNode):
        names = set()
        for expression in node.extra_context.values():
            names |= _in_value(expression, bound)
        return names | _in_nodelist(node.nodelist, bound | set(node.extra_context))
    names = set()
    for key, value in vars(node).items():
        if key not in ("token", "origin"):
            names |= _in_value(value, bound)
    return names


def _in_value(value, bound, depth: int = 0) -> set[str]:
    if depth > 20:
        return set()
    if isinstance(value, NodeList):
        return _in_nodelist(value, bound)
    if isinstance(value, Node):
        return _in_node(value, bound)
    if isinstance(value, FilterExpression):
        names = _in_value(value.var, bound, depth + 1)
        for _func, args in value.filters:
            for _is_variable, arg in args:
                names |= _in_value(arg, bound, depth + 1)
        return names
    if isinstance(value, Variable):
        root = value.lookups[0] if value.lookups else None
        return {root} if root and root not in bound else set()
    if isinstance(value, list | tuple):
        return set().union(*(_in_value(item, bound, depth + 1) for item in value))
    if isinstance(value, dict):
        return set().union(*(_in_value(item, bound, depth + 1) for item in value.values()))
    if isinstance(value, TokenBase):  # a condition of {% if %}: operators (first, second) or a literal (value)
        return set().union(*(_in_value(getattr(value, attr, None), bound, depth + 1)
                             for attr in ("value", "first", "second")))
    return set()


# --- Checking a fund's template ------------------------------------------------------------------------

# Tags that only shape text. Not {% include %}, {% url %}, {% debug %} and the like: an e-mail needs none of
# them, and {% debug %} would print the server's internals into a message to a citizen.
ALLOWED_TAGS = frozenset({"if", "for", "with", "firstof", "filter", "autoescape", "spaceless", "comment",
                          "templatetag", "verbatim", "widthratio", "ifchanged", "now"})


def _tags(template: Template) -> set[str]:
    return {node.token.contents.split()[0] for node in template.nodelist.get_nodes_by_type(Node)
            if not isinstance(node, TextNode | VariableNode) and getattr(node, "token", None)}


def validate_template(*, event: str, subject: str, text_body: str, html_body: str = "") -> None:
    """Refuse a template with a syntax error or a placeholder the event does not offer. Errors are keyed by
    field (subject, text_body, html_body), so a form shows them where they are."""
    spec = get_event(event)
    allowed = set(spec.all_placeholders)
    errors = {}
    for field, source in (("subject", subject), ("text_body", text_body), ("html_body", html_body)):
        if not (source or "").strip():
            continue
        try:
            template = _compile(source)
        except TemplateSyntaxError as exc:
            errors[field] = ValidationError(
                _("Die Vorlage enthält einen Fehler in den Steuerzeichen ({%% … %%} oder {{ … }}): %(error)s")
                % {"error": exc}, code="syntax")
            continue
        forbidden = sorted(_tags(template) - ALLOWED_TAGS)
        if forbidden:
            errors[field] = ValidationError(
                _("Nicht erlaubt in E-Mail-Vorlagen: %(forbidden)s. Erlaubt sind: %(allowed)s.")
                % {"forbidden": ", ".join("{% " + tag + " %}" for tag in forbidden),
                   "allowed": ", ".join("{% " + tag + " %}" for tag in sorted(ALLOWED_TAGS))}, code="tag")
            continue
        unknown = sorted(template_variables(template) - allowed)
        if unknown:
            errors[field] = ValidationError(
                _("Unbekannter Platzhalter: %(unknown)s. Verfügbar sind: %(available)s.")
                % {"unknown": ", ".join(_ph(name) for name in unknown),
                   "available": ", ".join(_ph(name) for name in spec.all_placeholders)}, code="placeholder")
            continue
        try:
            _render(source, sample_context(event), event=event, html=field == "html_body")
        except MissingPlaceholder as exc:
            errors[field] = ValidationError(
                _("Unbekannter Platzhalter: %(unknown)s.") % {"unknown": ", ".join(_ph(name) for name in exc.names)},
                code="placeholder")
        except Exception as exc:  # whatever a template can do wrong at render time (e.g. {% include %})
            errors[field] = ValidationError(_("Die Vorlage lässt sich nicht darstellen: %(error)s") % {"error": exc},
                                            code="render")
    if errors:
        raise ValidationError(errors)


# --- Sample values for the preview and the tests -----------------------------------------------------------

_SAMPLE_PEOPLE = {APPLICANT: "Alice Albers", BOARD: "Dieter Drees", CONTACT: "Hanna Hülsmann"}
_SAMPLE = {
    "fund": "Altstadtfonds Dorsten", "site_name": "Fondsflow", "link": "https://fondsflow.example/antraege/7/",
    "file_number": "AF-2026-0007", "title": "Blumenampeln Lippestraße",
    "organisation": "Dorstener Interessengemeinschaft Altstadt e. V.",
    "letter_link": "https://fondsflow.example/antraege/7/briefe/12/", "deadline": "15.06.2026",
    "amount": "4.760,00 €", "due_date": "31.05.2027", "weeks": 4, "date": "18.06.2026",
    "pack_link": "https://fondsflow.example/beirat/sitzungen/3/unterlagen/", "end_date": "31.05.2037",
    "waiting_count": 4,
    "event_date": "12.03.2026, 08:30 Uhr", "event_place": "Stadtteilbüro, Markt 1",
    "unsubscribe_link": "https://fondsflow.example/treffen/einwilligung/abc123/",
}
_SAMPLE_BY_LANGUAGE = {
    "de": {
        "items": "- drei Vergleichsangebote für die Blumenampeln\n- Einverständnis der Eigentümerin Lippestraße 14",
        "outcome": "bewilligt", "measure": "Ablehnung Ihres Antrags",
        "task": "Zuwendungsfähigkeit prüfen", "meeting": "Beiratssitzung Juni 2026",
        "event_title": "Händlerfrühstück",
        "waiting": [{"label": "Prüfung Zuwendungsfähigkeit", "count": 3}, {"label": "Bescheid in Vorbereitung",
                                                                          "count": 1}],
    },
    "en": {
        "items": "- three comparable quotes for the hanging flower baskets\n- consent of the owner of Lippestraße 14",
        "outcome": "approved", "measure": "rejection of your application",
        "task": "Check eligibility", "meeting": "Advisory board meeting June 2026",
        "event_title": "Retailers' breakfast",
        "waiting": [{"label": "Eligibility check", "count": 3}, {"label": "Notice in preparation", "count": 1}],
    },
}
_SAMPLE_LINKS = {
    BOARD: "https://fondsflow.example/beirat/sitzungen/3/",
    "weekly_digest": "https://fondsflow.example/arbeit/",
    CONTACT: "https://fondsflow.example/treffen/anmeldung/abc123/",
}


def sample_context(event: str, language: str = "de") -> dict:
    """Realistic values for every placeholder of `event` (Dorsten), for the admin preview and the tests."""
    spec = get_event(event)
    values = {**_SAMPLE, **_SAMPLE_BY_LANGUAGE.get(language, _SAMPLE_BY_LANGUAGE[FALLBACK_LANGUAGE])}
    values["recipient_name"] = _SAMPLE_PEOPLE.get(spec.audience, "Carla Citymanagerin")
    values["link"] = _SAMPLE_LINKS.get(event) or _SAMPLE_LINKS.get(spec.audience) or values["link"]
    return {name: values[name] for name in spec.all_placeholders}

