"""Name changes are append-only in the database too, like the access log (see 0003).

PostgreSQL refuses UPDATE and DELETE; SQLite refuses UPDATE (its test flush deletes rows,
so there the ORM guard is what refuses deletion). The function from 0003 is reused.
"""

from django.db import migrations

PG_UP = """
CREATE TRIGGER audit_namechange_append_only
    BEFORE UPDATE OR DELETE ON audit_namechange
    FOR EACH ROW EXECUTE FUNCTION twofold_audit_append_only();
"""
PG_DOWN = "DROP TRIGGER IF EXISTS audit_namechange_append_only ON audit_namechange;"
SQLITE_UP = """
CREATE TRIGGER audit_namechange_append_only BEFORE UPDATE ON audit_namechange
BEGIN SELECT RAISE(ABORT, 'name changes are append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_namechange_append_only;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_what_choices_and_name_changes")]
    operations = [migrations.RunPython(forwards, backwards)]
