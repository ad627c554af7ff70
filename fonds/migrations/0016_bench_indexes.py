"""Indexes the benchmark's plans asked for (bench/, docs/performance.md): the staff task lists read viewflow's
task table by owner and status (inbox) and the unclaimed open tasks oldest first (team queue). Partial and
composite indexes in plain SQL, valid for PostgreSQL and SQLite alike."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("fonds", "0015_ledger_share"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS ff_task_owner_status ON viewflow_task (owner_id, status, created)",
            "DROP INDEX IF EXISTS ff_task_owner_status",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS ff_task_unclaimed ON viewflow_task (created, id) "
            "WHERE status = 'NEW' AND owner_id IS NULL",
            "DROP INDEX IF EXISTS ff_task_unclaimed",
        ),
    ]
