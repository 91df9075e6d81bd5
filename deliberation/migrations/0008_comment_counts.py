"""The desk's counts per clause, written by database triggers (`CommentCount`).

Every change to a top-level comment (posted, hidden, restored, moved, its kind, whether it has a
`similar_lead`, deleted) and every disposition recorded or removed inserts one row per clause with
what it added and took away: open comments (visible, without a disposition), open objections,
open suggestions, hidden comments, open items (open comments without a lead), and of those the
objections and the suggestions (groups are of one kind). The rows are only
ever inserted (and folded, `discussion.counts.fold`): no row is a hot spot for the vote path.

PostgreSQL: statement-level triggers with transition tables (a bulk `INSERT … SELECT` or `COPY`
writes one row per clause). A disposition's trigger locks its comments first, so a comment
hidden and disposed at the same moment is subtracted once. SQLite: row-level triggers (one writer).
The existing comments are counted into one row per clause.
"""

import django.db.models.deletion
from django.db import migrations, models

from core import vendor_sql

TABLE = "deliberation_commentcount"
COLUMNS = ("clause_id, comments, objections, suggestions, hidden, items, objection_items, "
           "suggestion_items")
COUNTS = COLUMNS.split(", ")[1:]
SUMS = ", ".join(f"SUM({name})" for name in COUNTS)
NONZERO = " OR ".join(f"SUM({name}) <> 0" for name in COUNTS)


def _visible(a: str) -> str:
    """Whether comment `a` is top-level and visible (open unless it has a disposition)."""
    return f"{a}.parent_id IS NULL AND NOT {a}.hidden"


def _open(a: str) -> str:
    """Whether comment `a` is open: top-level, visible, without a disposition."""
    return (f"{_visible(a)} AND NOT EXISTS (SELECT 1 FROM deliberation_disposition x "
            f"WHERE x.comment_id = {a}.id)")


def _case(condition: str, sign: int) -> str:
    return f"CASE WHEN {condition} THEN {sign} ELSE 0 END"


def _contribution(a: str, sign: int, is_open: str, hidden: bool = True) -> str:
    """The columns comment `a` adds (`sign` 1) or takes away (-1) when `is_open` says it is
    open; `hidden` whether its hidden state counts (a disposition's rows leave it alone)."""
    values = [f"{a}.clause_id", _case(is_open, sign),
              _case(f"{is_open} AND {a}.kind = 'objection'", sign),
              _case(f"{is_open} AND {a}.kind = 'suggestion'", sign),
              _case(f"{a}.parent_id IS NULL AND {a}.hidden", sign) if hidden else "0",
              _case(f"{is_open} AND {a}.similar_lead_id IS NULL", sign),
              _case(f"{is_open} AND {a}.similar_lead_id IS NULL AND {a}.kind = 'objection'", sign),
              _case(f"{is_open} AND {a}.similar_lead_id IS NULL AND {a}.kind = 'suggestion'",
                    sign)]
    return ", ".join(f"{value} AS {name}"
                     for value, name in zip(values, COLUMNS.split(", "), strict=True))


def _insert(rows: str) -> str:
    """Insert the sums per clause of `rows` (a query of contributions), where not all zero."""
    return (f"INSERT INTO {TABLE} ({COLUMNS}) SELECT clause_id, {SUMS} FROM ({rows}) AS t "
            f"GROUP BY clause_id HAVING {NONZERO}")


def _changed(o: str, n: str, distinct: str) -> str:
    """Whether the update of `o` into `n` can change a count."""
    pairs = [(f"({o}.parent_id IS NULL)", f"({n}.parent_id IS NULL)"),
             (f"{o}.hidden", f"{n}.hidden"), (f"{o}.kind", f"{n}.kind"),
             (f"{o}.clause_id", f"{n}.clause_id"),
             (f"({o}.similar_lead_id IS NULL)", f"({n}.similar_lead_id IS NULL)")]
    return " OR ".join(f"{a} {distinct} {b}" for a, b in pairs)


def _with_open(rows: str, a: str = "s") -> str:
    """`rows` (a table and its alias `a`, with any join) with whether each is open, the
    disposition looked up once per comment."""
    return f"(SELECT {a}.*, {_open(a)} AS is_open FROM {rows}) AS c"


def _comment_rows(sign: int, rows: str) -> str:
    return f"SELECT {_contribution('c', sign, 'c.is_open')} FROM {_with_open(rows)}"


POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION concord_comment_counts() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_insert(_comment_rows(1, "new_rows s WHERE s.parent_id IS NULL"))};
  ELSIF TG_OP = 'DELETE' THEN
    {_insert(_comment_rows(-1, "old_rows s WHERE s.parent_id IS NULL"))};
  ELSE
    {_insert(_comment_rows(-1, f"old_rows s JOIN new_rows n ON n.id = s.id WHERE "
                               f"{_changed('s', 'n', 'IS DISTINCT FROM')}")
             + " UNION ALL "
             + _comment_rows(1, f"new_rows s JOIN old_rows o ON o.id = s.id WHERE "
                                f"{_changed('o', 's', 'IS DISTINCT FROM')}"))};
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER comment_counts_insert AFTER INSERT ON deliberation_comment
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION concord_comment_counts();
CREATE TRIGGER comment_counts_update AFTER UPDATE ON deliberation_comment
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION concord_comment_counts();
CREATE TRIGGER comment_counts_delete AFTER DELETE ON deliberation_comment
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION concord_comment_counts();

CREATE OR REPLACE FUNCTION concord_disposition_counts() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM 1 FROM deliberation_comment c JOIN new_rows d ON d.comment_id = c.id
      ORDER BY c.id FOR UPDATE OF c;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM 1 FROM deliberation_comment c JOIN old_rows d ON d.comment_id = c.id
      ORDER BY c.id FOR UPDATE OF c;
  END IF;
  IF TG_OP = 'INSERT' THEN
    {_insert(f"SELECT {_contribution('c', -1, _visible('c'), False)} "
             "FROM new_rows d JOIN deliberation_comment c ON c.id = d.comment_id")};
  ELSIF TG_OP = 'DELETE' THEN
    {_insert(f"SELECT {_contribution('c', 1, _visible('c'), False)} "
             "FROM old_rows d JOIN deliberation_comment c ON c.id = d.comment_id")};
  ELSE
    {_insert(f"SELECT {_contribution('c', 1, _visible('c'), False)} "
             "FROM old_rows d JOIN new_rows e ON e.id = d.id "
             "JOIN deliberation_comment c ON c.id = d.comment_id "
             "WHERE d.comment_id IS DISTINCT FROM e.comment_id UNION ALL "
             f"SELECT {_contribution('c', -1, _visible('c'), False)} "
             "FROM new_rows d JOIN old_rows e ON e.id = d.id "
             "JOIN deliberation_comment c ON c.id = d.comment_id "
             "WHERE d.comment_id IS DISTINCT FROM e.comment_id")};
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER disposition_counts_insert AFTER INSERT ON deliberation_disposition
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION concord_disposition_counts();
CREATE TRIGGER disposition_counts_update AFTER UPDATE ON deliberation_disposition
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION concord_disposition_counts();
CREATE TRIGGER disposition_counts_delete AFTER DELETE ON deliberation_disposition
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION concord_disposition_counts();
"""

POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS comment_counts_insert ON deliberation_comment;
DROP TRIGGER IF EXISTS comment_counts_update ON deliberation_comment;
DROP TRIGGER IF EXISTS comment_counts_delete ON deliberation_comment;
DROP FUNCTION IF EXISTS concord_comment_counts();
DROP TRIGGER IF EXISTS disposition_counts_insert ON deliberation_disposition;
DROP TRIGGER IF EXISTS disposition_counts_update ON deliberation_disposition;
DROP TRIGGER IF EXISTS disposition_counts_delete ON deliberation_disposition;
DROP FUNCTION IF EXISTS concord_disposition_counts();
"""


def _row(a: str, sign: int, is_open: str, hidden: bool = True) -> str:
    """SQLite: one row's contribution, inserted only where not all zero."""
    return (f"INSERT INTO {TABLE} ({COLUMNS}) SELECT * FROM (SELECT "
            f"{_contribution(a, sign, is_open, hidden)}) AS t "
            f"WHERE {' OR '.join(f'{name} <> 0' for name in COUNTS)};")


SQLITE_VISIBLE = _visible("c")
SQLITE_UP = [
    f"""CREATE TRIGGER comment_counts_insert AFTER INSERT ON deliberation_comment
    WHEN NEW.parent_id IS NULL BEGIN {_row('NEW', 1, _open('NEW'))} END""",
    f"""CREATE TRIGGER comment_counts_update AFTER UPDATE ON deliberation_comment
    WHEN {_changed('OLD', 'NEW', 'IS NOT')}
    BEGIN {_row('OLD', -1, _open('OLD'))} {_row('NEW', 1, _open('NEW'))} END""",
    f"""CREATE TRIGGER comment_counts_delete AFTER DELETE ON deliberation_comment
    WHEN OLD.parent_id IS NULL BEGIN {_row('OLD', -1, _open('OLD'))} END""",
    f"""CREATE TRIGGER disposition_counts_insert AFTER INSERT ON deliberation_disposition
    BEGIN INSERT INTO {TABLE} ({COLUMNS}) SELECT {_contribution('c', -1, SQLITE_VISIBLE, False)}
    FROM deliberation_comment c WHERE c.id = NEW.comment_id AND {SQLITE_VISIBLE}; END""",
    f"""CREATE TRIGGER disposition_counts_update AFTER UPDATE ON deliberation_disposition
    WHEN OLD.comment_id IS NOT NEW.comment_id
    BEGIN INSERT INTO {TABLE} ({COLUMNS}) SELECT {_contribution('c', 1, SQLITE_VISIBLE, False)}
    FROM deliberation_comment c WHERE c.id = OLD.comment_id AND {SQLITE_VISIBLE};
    INSERT INTO {TABLE} ({COLUMNS}) SELECT {_contribution('c', -1, SQLITE_VISIBLE, False)}
    FROM deliberation_comment c WHERE c.id = NEW.comment_id AND {SQLITE_VISIBLE}; END""",
    f"""CREATE TRIGGER disposition_counts_delete AFTER DELETE ON deliberation_disposition
    BEGIN INSERT INTO {TABLE} ({COLUMNS}) SELECT {_contribution('c', 1, SQLITE_VISIBLE, False)}
    FROM deliberation_comment c WHERE c.id = OLD.comment_id AND {SQLITE_VISIBLE}; END""",
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS {name}" for name in (
    "comment_counts_insert", "comment_counts_update", "comment_counts_delete",
    "disposition_counts_insert", "disposition_counts_update", "disposition_counts_delete")]

# The comments there are now, one row per clause.
BACKFILL = _insert(_comment_rows(1, "deliberation_comment s WHERE s.parent_id IS NULL"))


def forwards(apps, schema_editor):
    vendor_sql.run(schema_editor, postgresql=POSTGRES_UP, sqlite=SQLITE_UP)
    schema_editor.execute(BACKFILL)


def backwards(apps, schema_editor):
    vendor_sql.run(schema_editor, postgresql=POSTGRES_DOWN, sqlite=SQLITE_DOWN)


class Migration(migrations.Migration):

    dependencies = [
        ('definition', '0011_definition_language'),
        ('deliberation', '0007_comment_grouping'),
    ]

    operations = [
        migrations.CreateModel(
            name='CommentCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('comments', models.IntegerField(default=0)),
                ('objections', models.IntegerField(default=0)),
                ('suggestions', models.IntegerField(default=0)),
                ('hidden', models.IntegerField(default=0)),
                ('items', models.IntegerField(default=0)),
                ('objection_items', models.IntegerField(default=0)),
                ('suggestion_items', models.IntegerField(default=0)),
                ('clause', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='definition.clause')),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
