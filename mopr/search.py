"""Accent- and case-insensitive substring search over a register, indexed on PostgreSQL.

A clerk types "Kowalczykowna" and expects "Kowalczykówna"; types part of a sign and expects the case. One
expression, ``SearchDocument(*fields)``, folds the searched columns to lower case without diacritics, and
``search_filter`` compares it with the folded term (``LIKE '%term%'``).

PostgreSQL: ``mopr_unaccent(text)`` (migration ``mopr 0007``) is an IMMUTABLE wrapper of the ``unaccent``
extension (``unaccent`` itself is only STABLE and cannot be indexed), and each register indexes the same
expression with a trigram GIN index (``pg_trgm``, ``gin_trgm_ops``), which serves ``LIKE '%term%'`` without
scanning the table. Trigrams rather than full-text search: clerks search fragments of names, streets and signs
("Kowalcz", "DNK.1510.3"), which Polish full-text search (no Polish stemmer ships with PostgreSQL) would not find.

SQLite (the demo): the same function is registered in Python on every connection (``mopr.signals``), with no
index; the demo's tables are small.
"""

import unicodedata

from django.db import migrations, models

FUNCTION = "mopr_unaccent"
# Letters that Unicode does not decompose into a base letter and a combining mark.
_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss"})


def fold(text: str | None) -> str | None:
    """Lower case without diacritics: the Python twin of ``mopr_unaccent(lower(...))``."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def document_sql(columns: list[str]) -> str:
    """The SQL of a row's searched text from its columns' SQL: the one definition the query and the index share."""
    joined = " || ' ' || ".join(f"COALESCE({column}, '')" for column in columns)
    return f"{FUNCTION}(LOWER({joined}))"


class SearchDocument(models.Func):
    """The searched text of a row: the fields joined by spaces, lower case, without diacritics."""

    output_field = models.TextField()

    def __init__(self, *fields: str):
        super().__init__(*[models.F(name) for name in fields])

    def as_sql(self, compiler, connection, **extra):
        columns, params = [], []
        for expression in self.get_source_expressions():
            sql, column_params = compiler.compile(expression)
            columns.append(sql)
            params.extend(column_params)
        return document_sql(columns), params


def search_filter(queryset, fields: tuple[str, ...], term: str):
    """``queryset`` narrowed to rows whose folded text contains the folded ``term`` (visibility is the caller's)."""
    term = (term or "").strip()
    if not term:
        return queryset
    return queryset.alias(_search=SearchDocument(*fields)).filter(_search__contains=fold(term))


def create_index_operation(app_label: str, model_name: str, fields: tuple[str, ...], name: str):
    """A migration operation: the trigram index of a register, PostgreSQL only (SQLite keeps a plain scan)."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model(app_label, model_name)
        quote = schema_editor.quote_name
        columns = [quote(model._meta.get_field(field).column) for field in fields]
        schema_editor.execute(
            f"CREATE INDEX {quote(name)} ON {quote(model._meta.db_table)} "
            f"USING gin (({document_sql(columns)}) gin_trgm_ops)"
        )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    return migrations.RunPython(forwards, backwards)
