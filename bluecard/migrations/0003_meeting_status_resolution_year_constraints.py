"""Issue 12 "Trust on every path": the meeting's lifecycle as a state (``bluecard.procedures.MEETING``), derived
from the data already recorded; resolutions numbered once per Team and year; one closure protocol in signature
per card. Rows that would break the new constraints are mended first: a duplicated resolution number gets a
suffix " (2)", an older pending closure of the same card is marked returned."""

from django.db import migrations, models


def derive(apps, schema_editor):
    Meeting = apps.get_model("bluecard", "Meeting")
    Attendance = apps.get_model("bluecard", "Attendance")
    Resolution = apps.get_model("bluecard", "Resolution")
    Closure = apps.get_model("bluecard", "Closure")

    held = set(Attendance.objects.values_list("meeting_id", flat=True))
    for meeting in Meeting.objects.all().only("pk", "protocol_final_at", "protocol_signed_at"):
        if meeting.protocol_signed_at:
            status = "signed"
        elif meeting.protocol_final_at:
            status = "in_signature"
        elif meeting.pk in held:
            status = "held"
        else:
            continue
        Meeting.objects.filter(pk=meeting.pk).update(status=status)

    seen = {}
    for resolution in Resolution.objects.order_by("pk").only("pk", "team_id", "decided_on", "number"):
        year = resolution.decided_on.year
        number = resolution.number
        if number:
            key = (resolution.team_id, year, number)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                number = f"{number} ({seen[key]})"[:40]
        Resolution.objects.filter(pk=resolution.pk).update(year=year, number=number)

    pending = {}
    for closure in Closure.objects.filter(status="in_signature").order_by("-pk").only("pk", "card_id"):
        if closure.card_id in pending:
            Closure.objects.filter(pk=closure.pk).update(status="returned")
        else:
            pending[closure.card_id] = closure.pk


class Migration(migrations.Migration):

    dependencies = [
        ("bluecard", "0002_explicit_grant_partial_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="status",
            field=models.CharField(choices=[("scheduled", "zwołane"), ("held", "odbyte – protokół w przygotowaniu"),
                                            ("in_signature", "protokół ostateczny w podpisie Przewodniczącego"),
                                            ("signed", "protokół podpisany")],
                                   default="scheduled", max_length=16, verbose_name="stan posiedzenia"),
        ),
        migrations.AddField(
            model_name="historicalmeeting",
            name="status",
            field=models.CharField(choices=[("scheduled", "zwołane"), ("held", "odbyte – protokół w przygotowaniu"),
                                            ("in_signature", "protokół ostateczny w podpisie Przewodniczącego"),
                                            ("signed", "protokół podpisany")],
                                   default="scheduled", max_length=16, verbose_name="stan posiedzenia"),
        ),
        migrations.AddField(
            model_name="resolution",
            name="year",
            field=models.PositiveSmallIntegerField(default=2000, editable=False, verbose_name="rok"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalresolution",
            name="year",
            field=models.PositiveSmallIntegerField(default=2000, editable=False, verbose_name="rok"),
            preserve_default=False,
        ),
        migrations.RunPython(derive, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="resolution",
            constraint=models.UniqueConstraint(condition=models.Q(("number", ""), _negated=True),
                                               fields=("team", "year", "number"),
                                               name="bluecard_resolution_number_once_a_year"),
        ),
        migrations.AddConstraint(
            model_name="closure",
            constraint=models.UniqueConstraint(condition=models.Q(("status", "in_signature")), fields=("card",),
                                               name="bluecard_one_pending_closure"),
        ),
    ]
