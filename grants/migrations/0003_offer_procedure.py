"""The offer's procedure (grants.procedures.OFFER): the status field gains the states after the formal
evaluation – scored on merit (G6), chosen / not chosen by the President's order (G8) – derived for existing
offers from what the register already holds; one chair and one deputy chair per committee (G7)."""

from django.conf import settings
from django.db import migrations, models

STATUS_CHOICES = [
    ("registered", "zarejestrowana"), ("formal_failed", "odrzucona formalnie"),
    ("formal_passed", "dopuszczona do oceny merytorycznej"), ("scored", "oceniona merytorycznie"),
    ("chosen", "wybrana – przyznano dotację"), ("not_chosen", "niewybrana – dotacji nie przyznano"),
    ("withdrawn", "wycofana przez oferenta")]
DECIDED = ("decided", "results_published")


def derive_states(apps, schema_editor):
    Offer = apps.get_model("grants", "Offer")
    passed = Offer.objects.filter(status="formal_passed")
    passed.filter(competition__status__in=DECIDED, granted_amount__gt=0).update(status="chosen")
    passed.filter(competition__status__in=DECIDED).update(status="not_chosen")
    passed.filter(competition__results_computed_at__isnull=False, score__isnull=False).update(status="scored")


def back(apps, schema_editor):
    Offer = apps.get_model("grants", "Offer")
    Offer.objects.filter(status__in=["scored", "chosen", "not_chosen"]).update(status="formal_passed")


class Migration(migrations.Migration):

    dependencies = [
        ("grants", "0002_explicit_grant_partial_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicaloffer",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, db_index=True, default="registered", max_length=16,
                                   verbose_name="status"),
        ),
        migrations.AlterField(
            model_name="offer",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, db_index=True, default="registered", max_length=16,
                                   verbose_name="status"),
        ),
        migrations.RunPython(derive_states, back),
        migrations.AddConstraint(
            model_name="committeemember",
            constraint=models.UniqueConstraint(condition=models.Q(("role", "chair")), fields=("committee",),
                                               name="grants_one_chair"),
        ),
        migrations.AddConstraint(
            model_name="committeemember",
            constraint=models.UniqueConstraint(condition=models.Q(("role", "deputy_chair")), fields=("committee",),
                                               name="grants_one_deputy_chair"),
        ),
    ]
