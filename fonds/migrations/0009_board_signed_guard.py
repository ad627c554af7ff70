"""A signed Beirat meeting is a record: PostgreSQL refuses any change to its votes, attendance, conflict
declarations and agenda items, and refuses to reopen it. The services refuse first with a German message;
this is the guard for everything else (admin, shell, a bug). SQLite (the embedded default) has no guard."""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION fonds_signed_meeting_guard() RETURNS trigger AS $$
DECLARE
    row_meeting integer;
    row_item integer;
BEGIN
    IF TG_TABLE_NAME IN ('fonds_vote', 'fonds_conflictdeclaration') THEN
        IF TG_OP = 'DELETE' THEN row_item := OLD.item_id; ELSE row_item := NEW.item_id; END IF;
        SELECT meeting_id INTO row_meeting FROM fonds_agendaitem WHERE id = row_item;
    ELSE
        IF TG_OP = 'DELETE' THEN row_meeting := OLD.meeting_id; ELSE row_meeting := NEW.meeting_id; END IF;
    END IF;
    IF EXISTS (SELECT 1 FROM fonds_meeting WHERE id = row_meeting AND status = 'signed') THEN
        RAISE EXCEPTION 'meeting % is signed: its minutes cannot be changed', row_meeting
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION fonds_signed_meeting_stays_signed() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'signed' AND NEW.status <> 'signed' THEN
        RAISE EXCEPTION 'meeting % is signed and cannot be reopened', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER fonds_vote_signed_guard BEFORE INSERT OR UPDATE OR DELETE ON fonds_vote
    FOR EACH ROW EXECUTE FUNCTION fonds_signed_meeting_guard();
CREATE TRIGGER fonds_conflict_signed_guard BEFORE INSERT OR UPDATE OR DELETE ON fonds_conflictdeclaration
    FOR EACH ROW EXECUTE FUNCTION fonds_signed_meeting_guard();
CREATE TRIGGER fonds_attendance_signed_guard BEFORE INSERT OR UPDATE OR DELETE ON fonds_attendance
    FOR EACH ROW EXECUTE FUNCTION fonds_signed_meeting_guard();
CREATE TRIGGER fonds_agendaitem_signed_guard BEFORE INSERT OR UPDATE OR DELETE ON fonds_agendaitem
    FOR EACH ROW EXECUTE FUNCTION fonds_signed_meeting_guard();
CREATE TRIGGER fonds_meeting_stays_signed BEFORE UPDATE ON fonds_meeting
    FOR EACH ROW EXECUTE FUNCTION fonds_signed_meeting_stays_signed();
"""

UNGUARD = """
DROP TRIGGER IF EXISTS fonds_vote_signed_guard ON fonds_vote;
DROP TRIGGER IF EXISTS fonds_conflict_signed_guard ON fonds_conflictdeclaration;
DROP TRIGGER IF EXISTS fonds_attendance_signed_guard ON fonds_attendance;
DROP TRIGGER IF EXISTS fonds_agendaitem_signed_guard ON fonds_agendaitem;
DROP TRIGGER IF EXISTS fonds_meeting_stays_signed ON fonds_meeting;
DROP FUNCTION IF EXISTS fonds_signed_meeting_guard();
DROP FUNCTION IF EXISTS fonds_signed_meeting_stays_signed();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: RAISE uses %
    return run


class Migration(migrations.Migration):
    dependencies = [("fonds", "0008_board")]

    operations = [migrations.RunPython(_run(GUARD), _run(UNGUARD))]
