"""The desk's count tables (`CommentCount`, `CommentItemCount`) are insert-and-fold queues: every
fold deletes the rows it sums. Vacuum and analyze them after a fixed number of dead rows rather
than a share of the table, so they stay small and their plans current (PostgreSQL only)."""

from django.db import migrations

TABLES = ("deliberation_commentcount", "deliberation_commentitemcount")
SETTINGS = ("autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000, "
            "autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET ({SETTINGS})")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        names = ", ".join(part.split(" = ")[0] for part in SETTINGS.split(", "))
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} RESET ({names})")


class Migration(migrations.Migration):

    dependencies = [("deliberation", "0011_comment_item_counts")]
    operations = [migrations.RunPython(forwards, backwards)]
