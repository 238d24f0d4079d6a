# B12 (004 §55): the district Mayor's acceptance of the annual report.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bluecard", "0003_meeting_status_resolution_year_constraints"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="annualreport",
            name="accepted_on",
            field=models.DateField(blank=True, null=True, verbose_name="data akceptacji przez Burmistrza Dzielnicy"),
        ),
        migrations.AddField(
            model_name="annualreport",
            name="accepted_by",
            field=models.CharField(blank=True, max_length=200, verbose_name="zaakceptował(a)"),
        ),
        migrations.AddField(
            model_name="annualreport",
            name="acceptance_recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalannualreport",
            name="accepted_on",
            field=models.DateField(blank=True, null=True, verbose_name="data akceptacji przez Burmistrza Dzielnicy"),
        ),
        migrations.AddField(
            model_name="historicalannualreport",
            name="accepted_by",
            field=models.CharField(blank=True, max_length=200, verbose_name="zaakceptował(a)"),
        ),
        migrations.AddField(
            model_name="historicalannualreport",
            name="acceptance_recorded_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
