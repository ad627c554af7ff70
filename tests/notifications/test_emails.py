"""E-mail templates: every event in German and English without gaps, a fund's own wording, checks on what a
fund admin types, escaping in HTML, and the admin page with its preview."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from fonds.models import Authority, Fund
from notifications.emails import (
    DEFAULTS,
    MISSING_MARKER,
    MissingPlaceholder,
    render_email,
    sample_context,
    validate_template,
)
from notifications.events import APPLICATION, COMMON, EVENTS
from notifications.models import EmailTemplate

ALL = [(event, language) for event in EVENTS for language in ("de", "en")]
MARKER_START = MISSING_MARKER.split("%s")[0]


@pytest.fixture
def fund(world):
    return world["round"].fund


@pytest.fixture
def other_fund(fund):
    return Fund.objects.create(authority=fund.authority, name="Lippefonds", code="LF")


@pytest.fixture
def admin_client(client, django_user_model):
    # root – a superuser who looks after the fund's texts in the Django admin
    root = django_user_model.objects.create_superuser("root", "root@dorsten.example", "root-password-123")
    client.force_login(root)
    return client


def test_every_event_has_german_and_english_texts():
    assert set(DEFAULTS) == set(EVENTS)
    assert all(set(DEFAULTS[event]) == {"de", "en"} for event in EVENTS)


@pytest.mark.parametrize(("event", "language"), ALL)
def test_each_event_renders_completely_in_german_and_english(event, language):
    context = sample_context(event, language)

    email = render_email(event=event, language=language, context=context)

    assert email.subject and "\n" not in email.subject
    assert context["link"] in email.text
    assert email.text.rstrip().endswith(context["fund"])
    assert f'href="{context["link"]}"' in email.html
    assert f'<html lang="{language}">' in email.html
    for part in (email.subject, email.text, email.html):
        assert MARKER_START not in part
        assert "{{" not in part and "{%" not in part


@pytest.mark.parametrize(("event", "language"), ALL)
def test_each_default_text_uses_only_the_events_placeholders_and_all_its_own(event, language):
    subject, text = DEFAULTS[event][language]
    spec = EVENTS[event]
    validate_template(event=event, subject=subject, text_body=text)
    own = set(spec.placeholders) - set(COMMON) - set(APPLICATION)
    for name in own:
        assert re.search(r"\b" + name + r"\b", subject + text), f"{event}/{language} does not use {name}"


@pytest.mark.parametrize("event", [code for code, spec in EVENTS.items() if spec.legal])
@pytest.mark.parametrize("language", ["de", "en"])
def test_legal_notices_link_to_the_letter_and_never_promise_an_attachment(event, language):
    context = sample_context(event, language)

    email = render_email(event=event, language=language, context=context)

    if "letter_link" in context:
        assert context["letter_link"] in email.text
        assert f'href="{context["letter_link"]}"' in email.html
    if "letter_link" in context or event == "decision":
        assert ("nicht als Anhang" if language == "de" else "not send the notice as an e-mail attachment") in email.text


def test_the_weekly_digest_lists_what_is_waiting():
    context = sample_context("weekly_digest") | {
        "waiting": [{"label": "Verwendungsnachweis in Prüfung", "count": 2}], "waiting_count": 2}

    email = render_email(event="weekly_digest", language="de", context=context)

    assert "- Verwendungsnachweis in Prüfung: 2" in email.text
    assert "Insgesamt: 2" in email.text


@pytest.mark.parametrize("event", ["application_submitted", "decision", "weekly_digest", "meeting_ahead"])
def test_a_missing_placeholder_is_refused_with_its_name(event):
    used = [name for name in sample_context(event) if re.search(r"\b" + name + r"\b", "".join(DEFAULTS[event]["de"]))]
    assert "link" in used and "fund" in used
    for name in used:
        context = sample_context(event)
        del context[name]
        with pytest.raises(MissingPlaceholder) as refused:
            render_email(event=event, language="de", context=context)
        assert name in str(refused.value)
        assert "Platzhalter fehlt" in str(refused.value)


def test_a_missing_attribute_inside_a_list_is_refused():
    context = sample_context("weekly_digest") | {"waiting": [{"label": "Prüfung"}]}

    with pytest.raises(MissingPlaceholder, match="row.count"):
        render_email(event="weekly_digest", language="de", context=context)


def test_a_language_without_texts_falls_back_to_german():
    email = render_email(event="check_finished", language="fr", context=sample_context("check_finished"))

    assert email.text.startswith("Guten Tag")
    assert '<html lang="de">' in email.html


def test_a_funds_own_template_is_used_for_its_event_and_language(fund, other_fund):
    EmailTemplate.objects.create(
        fund=fund, event="check_finished", language="de", subject="Neuigkeiten zu {{ file_number }}",
        text_body="Hallo {{ recipient_name }}, schauen Sie bitte ins Portal: {{ link }}")
    context = sample_context("check_finished")

    own = render_email(event="check_finished", language="de", context=context, fund=fund)
    english = render_email(event="check_finished", language="en", context=context, fund=fund)
    elsewhere = render_email(event="check_finished", language="de", context=context, fund=other_fund)
    other_event = render_email(event="use_report_checked", language="de",
                               context=sample_context("use_report_checked"), fund=fund)

    assert own.subject == "Neuigkeiten zu AF-2026-0007"
    assert own.text == f"Hallo Alice Albers, schauen Sie bitte ins Portal: {context['link']}\n"
    assert f'href="{context["link"]}"' in own.html
    assert english.subject == "Check completed – AF-2026-0007"
    assert elsewhere.subject == "Prüfung abgeschlossen – AF-2026-0007"
    assert other_event.subject == "Verwendungsnachweis geprüft – AF-2026-0007"


def test_a_funds_own_html_is_used_inside_the_layout(fund):
    EmailTemplate.objects.create(
        fund=fund, event="check_finished", language="de", subject="Prüfung fertig",
        text_body="Bitte ins Portal: {{ link }}", html_body="<p>Bitte <a href=\"{{ link }}\">ins Portal</a>.</p>")

    email = render_email(event="check_finished", language="de", context=sample_context("check_finished"), fund=fund)

    assert '<p>Bitte <a href="https://fondsflow.example/antraege/7/">ins Portal</a>.</p>' in email.html
    assert "Diese Nachricht wurde automatisch von Fondsflow versandt." in email.html
    assert email.html.count('href="https://fondsflow.example/antraege/7/"') == 1


def test_a_template_typed_in_the_browser_keeps_its_paragraphs(fund):
    EmailTemplate.objects.create(fund=fund, event="check_finished", language="de", subject="Prüfung",
                                 text_body="Guten Tag,\r\n\r\nes gibt Neues.\r\nBitte schauen Sie nach:\r\n{{ link }}")

    email = render_email(event="check_finished", language="de", context=sample_context("check_finished"), fund=fund)

    assert "\r" not in email.text
    assert '<p style="margin:0 0 16px">Guten Tag,</p>' in email.html
    assert '<p style="margin:0 0 16px">es gibt Neues.</p>' in email.html
    assert '>Bitte schauen Sie nach</a>' in email.html


def test_html_escapes_what_applicants_typed_and_the_text_keeps_it():
    context = sample_context("check_finished") | {"title": "<script>alert(1)</script> & Co"}

    email = render_email(event="check_finished", language="de", context=context)

    assert "<script>alert(1)</script> & Co" in email.text
    assert "<script>" not in email.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in email.html


def test_a_funds_html_template_escapes_too(fund):
    EmailTemplate.objects.create(fund=fund, event="check_finished", language="de", subject="{{ title }}",
                                 text_body="{{ title }} {{ link }}", html_body="<p>{{ title }}</p>")
    context = sample_context("check_finished") | {"title": "<script>x</script>"}

    email = render_email(event="check_finished", language="de", context=context, fund=fund)

    assert "<p>&lt;script&gt;x&lt;/script&gt;</p>" in email.html
    assert email.subject == "<script>x</script>"


def test_the_subject_is_one_line_whatever_the_title():
    context = sample_context("bescheid_issued") | {"title": "Blumen-\nampeln\r\nLippestraße"}

    email = render_email(event="bescheid_issued", language="de", context=context)

    assert "\n" not in email.subject and "\r" not in email.subject


def test_the_html_has_an_accessible_layout():
    email = render_email(event="decision", language="en", context=sample_context("decision", "en"))

    assert "<title>Decision on your application – AF-2026-0007</title>" in email.html
    assert "max-width:600px" in email.html and "font-size:16px" in email.html
    assert "<img" not in email.html
    assert "This message was sent automatically by Fondsflow." in email.html
    # The portal link is a button with words, not a bare URL.
    assert re.search(r'<a href="https://fondsflow\.example/antraege/7/"[^>]*>Your application in the portal</a>',
                     email.html)


def test_validate_template_accepts_the_events_placeholders_and_loops():
    validate_template(event="weekly_digest", subject="{{ waiting_count }} offen",
                      text_body="{% for row in waiting %}{{ row.label }} {{ forloop.counter }}{% endfor %} {{ link }}")


def test_validate_template_rejects_an_unknown_placeholder_in_german():
    with pytest.raises(ValidationError) as refused:
        validate_template(event="check_finished", subject="Hallo {{ iban }}", text_body="{{ link }}")

    assert "subject" in refused.value.error_dict
    assert "Unbekannter Platzhalter: {{ iban }}" in refused.value.messages[0]
    assert "{{ file_number }}" in refused.value.messages[0]


def test_validate_template_rejects_a_placeholder_of_another_event():
    with pytest.raises(ValidationError, match="letter_link"):
        validate_template(event="check_finished", subject="Brief", text_body="{{ letter_link }}")


def test_validate_template_rejects_unknown_names_in_conditions_and_filters():
    with pytest.raises(ValidationError, match="secret"):
        validate_template(event="decision", subject="x", text_body="{% if secret %}{{ amount }}{% endif %}")
    with pytest.raises(ValidationError, match="secret"):
        validate_template(event="decision", subject="x", text_body="{{ amount|default:secret }}")


def test_validate_template_rejects_a_syntax_error_in_german():
    with pytest.raises(ValidationError) as refused:
        validate_template(event="check_finished", subject="Prüfung", text_body="{% if title %}offen")

    assert "text_body" in refused.value.error_dict
    assert refused.value.messages[0].startswith("Die Vorlage enthält einen Fehler")


@pytest.mark.parametrize("tag", ["{% include 'admin/base.html' %}", "{% debug %}", "{% url 'home' %}",
                                 "{% csrf_token %}"])
def test_validate_template_rejects_tags_an_email_has_no_business_with(tag):
    with pytest.raises(ValidationError, match="Nicht erlaubt in E-Mail-Vorlagen"):
        validate_template(event="check_finished", subject="x", text_body=tag + " {{ link }}")


def test_validate_template_allows_conditions_inside_loops_and_comments():
    validate_template(event="weekly_digest", subject="x", text_body=(
        "{# intern #}{% for row in waiting %}{% if row.count > 1 %}{{ row.label }}{% endif %}{% endfor %}"
        "{% with total=waiting_count %}{{ total }}{% endwith %} {{ link }}"))


def test_validate_template_rejects_foreign_tag_libraries():
    with pytest.raises(ValidationError, match="Fehler"):
        validate_template(event="check_finished", subject="x", text_body="{% load humanize %}{{ link }}")


def test_the_admin_change_page_shows_the_preview(admin_client, fund):
    template = EmailTemplate.objects.create(
        fund=fund, event="bescheid_issued", language="de", subject="Ihr Bescheid – {{ file_number }}",
        text_body="Guten Tag {{ recipient_name }},\n\nIhr Bescheid: {{ letter_link }}\n\n{{ link }}\n\n{{ fund }}")

    response = admin_client.get(reverse("admin:notifications_emailtemplate_change", args=[template.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Vorschau" in page
    assert "Ihr Bescheid – AF-2026-0007" in page
    assert "https://fondsflow.example/antraege/7/briefe/12/" in page
    assert "<iframe sandbox" in page and 'srcdoc="&lt;!DOCTYPE html&gt;' in page
    assert "{{ letter_link }}" in page  # the placeholder help for this event


def test_the_admin_add_page_starts_from_the_shipped_text(admin_client):
    url = reverse("admin:notifications_emailtemplate_add") + "?event=decision&language=en"

    response = admin_client.get(url)

    assert response.status_code == 200
    assert "Decision on your application" in response.content.decode()


def test_saving_a_template_with_an_unknown_placeholder_shows_the_german_error(admin_client, fund):
    response = admin_client.post(reverse("admin:notifications_emailtemplate_add"), {
        "fund": fund.pk, "event": "check_finished", "language": "de", "subject": "Prüfung {{ file_number }}",
        "text_body": "Ihre IBAN {{ iban }} – {{ link }}", "html_body": ""})

    assert response.status_code == 200
    assert "Unbekannter Platzhalter: {{ iban }}" in response.content.decode()
    assert not EmailTemplate.objects.exists()


def test_saving_a_valid_template_stores_it(admin_client, fund):
    response = admin_client.post(reverse("admin:notifications_emailtemplate_add"), {
        "fund": fund.pk, "event": "check_finished", "language": "de", "subject": "Prüfung {{ file_number }}",
        "text_body": "Bitte ins Portal: {{ link }}", "html_body": ""})

    assert response.status_code == 302
    assert EmailTemplate.objects.get().subject == "Prüfung {{ file_number }}"


def test_a_fund_admin_sees_only_the_templates_of_their_own_authority(client, people, fund):
    # verwaltung – the fund admin of Stadt Dorsten; Haltern is another authority on the same installation
    admin_user = people["verwaltung"]
    admin_user.user_permissions.add(*Permission.objects.filter(content_type__app_label="notifications",
                                                               codename__endswith="_emailtemplate"))
    haltern = Authority.objects.create(name="Stadt Haltern am See")
    foreign = Fund.objects.create(authority=haltern, name="Seefonds Haltern", code="SF")
    EmailTemplate.objects.create(fund=fund, event="check_finished", language="de", subject="Dorsten",
                                 text_body="{{ link }}")
    theirs = EmailTemplate.objects.create(fund=foreign, event="check_finished", language="de", subject="Haltern",
                                          text_body="{{ link }}")
    client.force_login(admin_user)

    listing = client.get(reverse("admin:notifications_emailtemplate_changelist")).content.decode()
    other = client.get(reverse("admin:notifications_emailtemplate_change", args=[theirs.pk]))
    add_form = client.get(reverse("admin:notifications_emailtemplate_add")).content.decode()

    assert "Altstadtfonds Dorsten" in listing and "Seefonds Haltern" not in listing
    assert other.status_code == 302  # the admin's answer to an object outside the user's queryset
    assert "Seefonds Haltern" not in add_form


@pytest.mark.parametrize("name", ["notification", "notificationsettings"])
def test_the_admin_lists_notifications_and_settings(admin_client, name):
    response = admin_client.get(reverse(f"admin:notifications_{name}_changelist"))

    assert response.status_code == 200
