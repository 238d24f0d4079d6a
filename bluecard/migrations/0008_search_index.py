"""The card list's search by name served by a trigram index on PostgreSQL (mopr.search)."""

from django.db import migrations

from mopr.search import create_index_operation


class Migration(migrations.Migration):
    dependencies = [("bluecard", "0007_meeting_notice_invitees_letter"), ("mopr", "0007_search_functions")]

    operations = [
        create_index_operation(
            "bluecard",
            "BlueCard",
            ("person_experiencing", "persons_suspected", "children"),
            "bluecard_search_trgm",
        ),
    ]
