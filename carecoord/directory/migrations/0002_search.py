"""The directory search: a service's derived search columns (`search_text`, `search_tags`,
filled here for the services already there), an index covering what a search reads of every
service, and the full-text index, each database its own way:

* SQLite: an FTS5 external-content table over directory_service (name, search_text), kept in
  step by triggers on directory_service. A later migration that makes Django rebuild
  directory_service on SQLite (most AlterField) drops these triggers and renumbers rowids: it
  must run SQLITE_DROP and SQLITE again (tests/directory/test_search.py checks the triggers
  and the index).
* PostgreSQL: a stored tsvector column generated from name (weight A) and search_text (B),
  GIN-indexed. A later change of either column's type must drop and re-add it."""

from collections import defaultdict

from django.db import migrations, models

SQLITE = [
    """CREATE VIRTUAL TABLE directory_service_fts USING fts5(
        id UNINDEXED, name, search_text, content='directory_service', content_rowid='rowid',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER directory_service_fts_insert AFTER INSERT ON directory_service BEGIN
        INSERT INTO directory_service_fts(rowid, id, name, search_text)
        VALUES (new.rowid, new.id, new.name, new.search_text);
    END""",
    """CREATE TRIGGER directory_service_fts_delete AFTER DELETE ON directory_service BEGIN
        INSERT INTO directory_service_fts(directory_service_fts, rowid, id, name, search_text)
        VALUES ('delete', old.rowid, old.id, old.name, old.search_text);
    END""",
    """CREATE TRIGGER directory_service_fts_update AFTER UPDATE OF id, name, search_text
    ON directory_service BEGIN
        INSERT INTO directory_service_fts(directory_service_fts, rowid, id, name, search_text)
        VALUES ('delete', old.rowid, old.id, old.name, old.search_text);
        INSERT INTO directory_service_fts(rowid, id, name, search_text)
        VALUES (new.rowid, new.id, new.name, new.search_text);
    END""",
    "INSERT INTO directory_service_fts(directory_service_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS directory_service_fts_insert",
    "DROP TRIGGER IF EXISTS directory_service_fts_delete",
    "DROP TRIGGER IF EXISTS directory_service_fts_update",
    "DROP TABLE IF EXISTS directory_service_fts",
]
POSTGRES = [
    """ALTER TABLE directory_service ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(search_text, '')), 'B')
    ) STORED""",
    "CREATE INDEX directory_service_search_vector ON directory_service USING gin "
    "(search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS directory_service_search_vector",
    "ALTER TABLE directory_service DROP COLUMN IF EXISTS search_vector",
]
STATEMENTS = {"sqlite": (SQLITE, SQLITE_DROP), "postgresql": (POSTGRES, POSTGRES_DROP)}


def fill_search_columns(apps, schema_editor):
    """derived.search_columns, as written today, for the services already there."""
    Service = apps.get_model("directory", "Service")
    Attribute = apps.get_model("directory", "Attribute")
    Language = apps.get_model("directory", "Language")
    SpokenLanguage = apps.get_model("accounts", "Language")
    names = {}
    for code, *spelled in SpokenLanguage.objects.values_list("code", "name", "name_es",
                                                            "native_name"):
        for name in spelled:
            if name:
                names.setdefault(name.strip().lower(), code)
    terms, tags = defaultdict(set), defaultdict(set)
    for link_id, name, domain, insurance in Attribute.objects.filter(
            link_entity="service").values_list(
            "link_id", "taxonomy_term__name", "taxonomy_term__need_domain__code",
            "taxonomy_term__insurance"):
        terms[link_id].add(name)
        tags[link_id] |= {f"domain:{domain}"} if domain else set()
        tags[link_id] |= {f"insurance:{insurance}"} if insurance else set()
    for service_id, code, name in Language.objects.filter(service__isnull=False).values_list(
            "service_id", "code", "name"):
        primary = (code or "").strip().lower().replace("_", "-").split("-")[0]
        primary = primary or names.get((name or "").strip().lower(), "")
        if primary:
            tags[service_id].add(f"language:{primary}")
    changed = []
    for service in Service.objects.select_related("organization", "program").iterator():
        parts = [service.alternate_name, service.description, service.eligibility_description,
                 service.organization.name, service.organization.alternate_name,
                 service.program.name if service.program_id else None,
                 *sorted(terms[service.pk])]
        seen, lines = set(), []
        for part in parts:
            text = " ".join((part or "").split())
            if text and text.lower() not in seen:
                seen.add(text.lower())
                lines.append(text)
        service.search_text = "\n".join(lines)
        service.search_tags = f" {' '.join(sorted(tags[service.pk]))} " if tags[service.pk] \
            else ""
        changed.append(service)
    Service.objects.bulk_update(changed, ["search_text", "search_tags"], batch_size=500)


def create_index(apps, schema_editor):
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ((), ()))[0]:
        schema_editor.execute(statement, params=None)


def drop_index(apps, schema_editor):
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ((), ()))[1]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_reference_data"),
        ("directory", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="service",
            name="search_tags",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.CreateModel(
            name="ServiceSearchIndex",
            fields=[
                ("service", models.OneToOneField(db_column="id", db_constraint=False, on_delete=models.deletion.DO_NOTHING, primary_key=True, related_name="search_index", serialize=False, to="directory.service")),
                ("name", models.TextField()),
                ("search_text", models.TextField()),
            ],
            options={
                "db_table": "directory_service_fts",
                "managed": False,
            },
        ),
        migrations.RemoveIndex(
            model_name="service",
            name="directory_s_center__3d270c_idx",
        ),
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["center", "status", "assured_date", "minimum_age", "maximum_age", "search_tags", "name", "id"], name="directory_s_center__561fa3_idx"),
        ),
        migrations.RunPython(fill_search_columns, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
