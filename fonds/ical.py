"""An iCalendar invitation (RFC 5545) for a Beirat meeting, written by hand: CRLF line ends, TEXT values
escaped (backslash, semicolon, comma, newline), lines folded at 75 octets without splitting a UTF-8
character, times in UTC, and a UID that stays the same for the meeting so calendars update the entry."""

from datetime import UTC, timedelta

from django.utils import timezone

MEETING_LENGTH = timedelta(hours=2)


def escape_text(value: str) -> str:
    return (str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets; continuation lines start with a space."""
    out, current, limit = [], b"", 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            out.append(current)
            current, limit = b"", 74  # the leading space counts towards the 75 octets
        current += encoded
    out.append(current)
    return "\r\n ".join(part.decode("utf-8") for part in out)


def _utc(value) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_uid(meeting, domain: str) -> str:
    return f"fondsflow-meeting-{meeting.pk}@{domain}"


def meeting_ics(meeting, *, domain: str, url: str = "") -> bytes:
    start = meeting.starts_at
    end = meeting.response_deadline if meeting.is_written else start + MEETING_LENGTH
    description = f"{meeting.board.name} – {meeting.board.fund.name}."
    if url:
        description += f"\nUnterlagen und Tagesordnung: {url}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Fondsflow//Beirat//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{meeting_uid(meeting, domain)}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{escape_text(f'{meeting.get_kind_display()} {meeting.board.name}: {meeting.board.fund.name}')}",
        f"LOCATION:{escape_text(meeting.place)}" if meeting.place else None,
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}" if url else None,
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(fold(line) for line in lines if line) + "\r\n").encode("utf-8")
