from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION fonds_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Protokolleintraege sind unveraenderlich';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER fonds_auditevent_append_only
    BEFORE UPDATE OR DELETE ON fonds_auditevent
    FOR EACH ROW EXECUTE FUNCTION fonds_auditevent_append_only();
"""
ALLOW = """
DROP TRIGGER IF EXISTS fonds_auditevent_append_only ON fonds_auditevent;
DROP FUNCTION IF EXISTS fonds_auditevent_append_only();
"""


def forward(apps, schema_editor):
    # The database itself refuses to change the audit log; SQLite (quick start only) relies on the model.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [("fonds", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
