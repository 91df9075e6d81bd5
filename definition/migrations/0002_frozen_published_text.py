"""Database triggers: the text of a draft that has left `editing` never changes.

Services refuse such edits with a clear error first; these triggers make sure nothing else (the
admin, a shell, a bug) can break the rule. Violations surface as IntegrityError.
"""

from django.db import migrations

from core import vendor_sql

CLAUSE_TEXT = ("key", "heading", "body", "kind", "parent_id", "position", "draft_id",
               "derived_from")
MESSAGE = "published text is immutable: the draft has left editing"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION concord_clause_frozen() RETURNS trigger AS $$
DECLARE st text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT status INTO st FROM definition_draft WHERE id = NEW.draft_id;
  ELSE
    SELECT status INTO st FROM definition_draft WHERE id = OLD.draft_id;
    IF ({' AND '.join(f'OLD.{c} IS NOT DISTINCT FROM NEW.{c}' for c in CLAUSE_TEXT)}) THEN
      RETURN NEW;
    END IF;
  END IF;
  IF st IS DISTINCT FROM 'editing' THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER clause_frozen BEFORE INSERT OR UPDATE ON definition_clause
  FOR EACH ROW EXECUTE FUNCTION concord_clause_frozen();

CREATE OR REPLACE FUNCTION concord_draft_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.status <> 'editing' AND (NEW.status = 'editing'
      OR NEW.changelog IS DISTINCT FROM OLD.changelog OR NEW.version IS DISTINCT FROM OLD.version
      OR NEW.definition_id IS DISTINCT FROM OLD.definition_id) THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER draft_frozen BEFORE UPDATE ON definition_draft
  FOR EACH ROW EXECUTE FUNCTION concord_draft_frozen();
"""

POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS clause_frozen ON definition_clause;
DROP FUNCTION IF EXISTS concord_clause_frozen();
DROP TRIGGER IF EXISTS draft_frozen ON definition_draft;
DROP FUNCTION IF EXISTS concord_draft_frozen();
"""

SQLITE_UP = [
    f"""CREATE TRIGGER clause_frozen_insert BEFORE INSERT ON definition_clause
    WHEN (SELECT status FROM definition_draft WHERE id = NEW.draft_id) IS NOT 'editing'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER clause_frozen_update BEFORE UPDATE ON definition_clause
    WHEN (SELECT status FROM definition_draft WHERE id = OLD.draft_id) IS NOT 'editing'
      AND ({' OR '.join(f'OLD.{c} IS NOT NEW.{c}' for c in CLAUSE_TEXT)})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER draft_frozen BEFORE UPDATE ON definition_draft
    WHEN OLD.status <> 'editing' AND (NEW.status = 'editing' OR NEW.changelog IS NOT OLD.changelog
      OR NEW.version IS NOT OLD.version OR NEW.definition_id IS NOT OLD.definition_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS clause_frozen_insert",
    "DROP TRIGGER IF EXISTS clause_frozen_update",
    "DROP TRIGGER IF EXISTS draft_frozen",
]


def forwards(apps, schema_editor):
    vendor_sql.run(schema_editor, postgresql=POSTGRES_UP, sqlite=SQLITE_UP)


def backwards(apps, schema_editor):
    vendor_sql.run(schema_editor, postgresql=POSTGRES_DOWN, sqlite=SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("definition", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
