"""The Beirat's documents: the board pack per member without withheld data, the minutes, the iCal invitation,
the reminder to declare conflicts. Personas as in test_meetings.py."""

import re
from datetime import UTC
from decimal import Decimal

from fonds.models import BoardPack, Meeting
from notifications.models import Notification

from .test_meetings import at_board, members, new_meeting, pdf_text, url

D = Decimal


# --- PDFs and the calendar ---------------------------------------------------------------------------


def test_the_board_pack_has_every_item_and_no_bank_de_minimis_or_contact_data(drive, board, world):
    from fonds.models import Application, Organisation, RuleSet

    lions = at_board(drive, "bob", title="Tastmodell")
    dia = at_board(drive, "alice", title="Blumenampeln")
    RuleSet.objects.update(de_minimis_applicable=True)
    Organisation.objects.filter(pk=world["lions"].pk).update(iban="DE89 3704 0044 0532 0130 00",
                                                             phone="02362 123456")
    Application.objects.filter(pk__in=[lions.pk, dia.pk]).update(de_minimis_amount=D("12345.67"))
    meeting = new_meeting(drive, board, hours=72)
    drive.post("carla", url(meeting, "tagesordnung/"), {"all": "1"})
    assert drive.post("carla", url(meeting, "einladen/")).status_code == 302

    full = BoardPack.objects.get(meeting=meeting, member=None)
    text = pdf_text(full.pdf)
    for application in (lions, dia):
        assert application.file_number in text and application.title in text
    assert "Prüfung der Zuwendungsfähigkeit" in text and "Fachliche Stellungnahme" in text
    flat = re.sub(r"\s", "", text)
    for withheld in ("DE89", "37040044", "12.345,67", "12345.67", "02362123456", "bob@lions-dorsten.example",
                     "Lippestraße12", "IBAN", "BIC", "De-minimis-Beihilfen"):
        assert withheld not in flat, withheld
    # bernd's own pack leaves out the Lions' item
    bernd_pack = BoardPack.objects.get(meeting=meeting, member=members(board)["bernd"])
    text = pdf_text(bernd_pack.pdf)
    assert dia.file_number in text and lions.file_number not in text and "Tastmodell" not in text
    response = drive.get("bernd", url(meeting, "sitzungsunterlagen.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == bernd_pack.pdf.open("rb").read()
    # the members were invited with the link to their pack
    invited = Notification.objects.filter(event="meeting_ahead")
    assert {n.recipient.username for n in invited} == {"dieter", "bernd", "gisela"}
    assert "/sitzungsunterlagen.pdf" in invited.first().context["pack_link"]


def test_the_minutes_list_attendance_conflicts_and_every_vote(drive, board):
    lions = at_board(drive, "bob", title="Tastmodell")
    dia = at_board(drive, "alice", title="Blumenampeln")
    meeting = new_meeting(drive, board)
    drive.post("carla", url(meeting, "tagesordnung/"), {"all": "1"})
    people = members(board)
    drive.post("carla", url(meeting, "anwesenheit/"), {"present": [people["dieter"].pk, people["bernd"].pk]})
    lions_item, dia_item = meeting.items.get(application=lions), meeting.items.get(application=dia)
    drive.post("carla", url(meeting, f"top/{lions_item.pk}/abstimmung/"), {f"vote_{people['dieter'].pk}": "yes"})
    drive.post("carla", url(meeting, f"top/{dia_item.pk}/abstimmung/"),
               {f"vote_{people['dieter'].pk}": "yes", f"vote_{people['bernd'].pk}": "no"})
    drive.post("carla", url(meeting, "schliessen/"))
    assert not Meeting.objects.get(pk=meeting.pk).minutes_pdf
    drive.post("dieter", url(meeting, "unterzeichnen/"))
    meeting.refresh_from_db()
    text = pdf_text(meeting.minutes_pdf)
    assert "Niederschrift" in text and "Bernd Bergmann" in text
    assert text.count("Gisela Gerlach") == 1  # advisory: in the attendance, never among the votes
    assert "abwesend" in text and "anwesend" in text  # gisela was not there
    assert re.search(r"Bernd Bergmann\s+hat wegen Befangenheit den Raum verlassen", text)
    assert "1 Ja, 1 Nein, 0 Enthaltungen" in text and "abgelehnt" in text  # dia's tie
    assert "Elektronisch unterzeichnet von Dieter Drees" in text
    assert drive.get("gisela", url(meeting, "niederschrift.pdf")).status_code == 200


def test_the_ical_invitation_is_rfc_5545(drive, board):
    meeting = new_meeting(drive, board, hours=72, place="Altes Rathaus, Sitzungssaal; 1. OG")
    response = drive.get("dieter", url(meeting, "einladung.ics"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")  # CRLF only
    lines = body.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    unfolded = body.replace(b"\r\n ", b"").decode()
    assert "LOCATION:Altes Rathaus\\, Sitzungssaal\\; 1. OG" in unfolded
    start = meeting.starts_at.astimezone(UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z" in unfolded
    assert re.search(r"^UID:fondsflow-meeting-\d+@", unfolded, re.M)
    assert unfolded.count("BEGIN:VEVENT") == 1 and "VERSION:2.0" in unfolded
    again = drive.get("dieter", url(meeting, "einladung.ics")).content.replace(b"\r\n ", b"").decode()
    uid = re.compile(r"^UID:.*$", re.M)
    assert uid.search(again).group() == uid.search(unfolded).group()  # stable per meeting


def test_a_long_description_is_folded_without_splitting_characters():
    from fonds.ical import fold

    line = "DESCRIPTION:" + "Größenänderung " * 20
    folded = fold(line).encode()
    assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
    assert folded.decode().replace("\r\n ", "") == line


def test_members_who_have_not_declared_are_reminded_once_before_the_meeting(drive, board):
    from workflows.board import remind_conflict_declarations

    a = at_board(drive)
    meeting = new_meeting(drive, board, hours=48)
    drive.post("carla", url(meeting, "tagesordnung/"), {"applications": [a.pk]})
    drive.post("carla", url(meeting, "einladen/"))
    item = meeting.items.get()
    drive.post("dieter", url(meeting, "befangenheit/"), {f"item_{item.pk}": "no", f"note_{item.pk}": ""})
    with drive.capture(execute=True):
        assert remind_conflict_declarations() == 2  # bernd and gisela
        assert remind_conflict_declarations() == 0
    reminded = Notification.objects.filter(event="conflict_declaration_open")
    assert {n.recipient.username for n in reminded} == {"bernd", "gisela"}


def test_a_week_before_the_meeting_every_member_is_reminded_once_with_the_pack_link(drive, board):
    from datetime import timedelta

    from django.utils import timezone

    from workflows.board import remind_meetings_ahead

    a = at_board(drive)
    meeting = new_meeting(drive, board, hours=24 * 20)
    drive.post("carla", url(meeting, "tagesordnung/"), {"applications": [a.pk]})
    drive.post("carla", url(meeting, "einladen/"))
    with drive.capture(execute=True):
        assert remind_meetings_ahead(now=timezone.now() + timedelta(days=12)) == 0  # eight days before: not yet
        assert remind_meetings_ahead(now=timezone.now() + timedelta(days=13, hours=1)) == 3
        assert remind_meetings_ahead(now=timezone.now() + timedelta(days=14)) == 0  # once
    reminders = Notification.objects.filter(event="meeting_ahead", key__contains="week-ahead")
    assert {n.recipient.username for n in reminders} == {"dieter", "bernd", "gisela"}
    assert {n.context["pack_link"] for n in reminders} == {f"http://127.0.0.1:8000/beirat/sitzungen/{meeting.pk}/sitzungsunterlagen.pdf"}

    # invited only three days ahead: the invitation itself was the reminder
    late = new_meeting(drive, board, hours=72)
    drive.post("carla", url(late, "tagesordnung/"), {"applications": [at_board(drive, title="Spät").pk]})
    drive.post("carla", url(late, "einladen/"))
    assert remind_meetings_ahead() == 0
