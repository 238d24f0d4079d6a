"""The register's search box served by a trigram index on PostgreSQL (mopr.search)."""

from django.db import migrations

from mopr.search import create_index_operation


class Migration(migrations.Migration):
    dependencies = [("complaints", "0007_completion_delivery"), ("mopr", "0007_search_functions")]

    operations = [
        create_index_operation(
            "complaints",
            "Complaint",
            ("sign", "subject", "description", "complainant_name"),
            "complaint_search_trgm",
        ),
    ]
