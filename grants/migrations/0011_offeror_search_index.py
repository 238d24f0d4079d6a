"""The offerors' search box served by a trigram index on PostgreSQL (mopr.search)."""

from django.db import migrations

from mopr.search import create_index_operation


class Migration(migrations.Migration):
    dependencies = [("grants", "0010_offer_correction_made"), ("mopr", "0007_search_functions")]

    operations = [
        create_index_operation("grants", "Offeror", ("name", "krs", "nip", "regon", "city"), "offeror_search_trgm"),
    ]
