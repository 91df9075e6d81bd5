"""Raw SQL that differs by database, as migrations run it (triggers): PostgreSQL takes one script,
SQLite a list of statements (its driver runs one at a time). Concord supports those two."""


def run(schema_editor, *, postgresql: str, sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"Concord supports PostgreSQL and SQLite, not {vendor}")
