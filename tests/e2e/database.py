"""Put the database back as the browser tests' shared site left it, after each test.

The browser tests share one site, built once (see `portal` in conftest.py) and committed,
because the live server reads the database through its own connection (on PostgreSQL) and
so cannot see a test's uncommitted transaction. Instead of emptying the database after
every test and rebuilding it (Django's serialized rollback, seconds a test), each table
is copied once; after a test, the tables the test changed, and only those, get their rows
back from the copies. Rows a test made go, rows it changed or deleted return.

Plain SQL that SQLite and PostgreSQL both understand. Django creates foreign keys as
DEFERRABLE INITIALLY DEFERRED on both, so within one transaction the order of tables does
not matter.
"""

from django.db import connection, transaction


def _tables():
    """The tables of Django's models (the ones a flush between tests would empty), except
    SQLite virtual tables: Wagtail's full-text index there is kept in step with its
    source table by triggers, and `SELECT *` would not even copy its row ids."""
    tables = set(connection.introspection.django_table_names(only_existing=True, include_views=False))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
            tables -= {name for (name,) in cursor.fetchall()}
    return sorted(tables)


class TableCopies:
    """A copy of every model table, made now (in tables named `prefix` and a number);
    `restore()` puts changed tables back."""

    def __init__(self, prefix):
        qn = connection.ops.quote_name
        self.pairs = [(qn(table), qn(f"{prefix}{i}")) for i, table in enumerate(_tables())]
        with transaction.atomic(), connection.cursor() as cursor:
            for table, copy in self.pairs:
                cursor.execute(f"DROP TABLE IF EXISTS {copy}")
                cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {table}")  # noqa: S608

    def changed(self):
        """The tables whose rows differ from their copies."""
        changed = []
        with connection.cursor() as cursor:
            for table, copy in self.pairs:
                cursor.execute(
                    f"SELECT EXISTS (SELECT * FROM {table} EXCEPT SELECT * FROM {copy})"  # noqa: S608
                    f" OR EXISTS (SELECT * FROM {copy} EXCEPT SELECT * FROM {table})"
                )
                if cursor.fetchone()[0]:
                    changed.append((table, copy))
        return changed

    def restore(self):
        """Give every changed table its copied rows back; return how many tables changed."""
        changed = self.changed()
        with transaction.atomic(), connection.cursor() as cursor:
            for table, _ in changed:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            for table, copy in changed:
                cursor.execute(f"INSERT INTO {table} SELECT * FROM {copy}")  # noqa: S608
        return len(changed)

    def drop(self):
        with connection.cursor() as cursor:
            for _, copy in self.pairs:
                cursor.execute(f"DROP TABLE IF EXISTS {copy}")
