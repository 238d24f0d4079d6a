"""B7 (004 §23): the e-mail about a received card names the person experiencing violence by default; a Team may
record that it sends a link to the card instead. Teams that had chosen not to send the name (``notify_with_name``
false) keep that choice: they get the link."""

from django.db import migrations, models


def forward(apps, schema_editor):
    Team = apps.get_model("bluecard", "Team")
    Team.objects.filter(notify_with_name=False).update(notification_content="link")
    Team.objects.filter(notify_with_name=True).update(notification_content="name")


def backward(apps, schema_editor):
    Team = apps.get_model("bluecard", "Team")
    Team.objects.update(notify_with_name=False)
    Team.objects.filter(notification_content="name").update(notify_with_name=True)


FIELD = models.CharField(
    choices=[
        ("name", "imię i nazwisko osoby doznającej przemocy (004 §23)"),
        ("link", "odnośnik do karty w systemie zamiast imienia i nazwiska"),
    ],
    default="name",
    help_text=(
        "B7 (004 §23): powiadomienie e-mailem zawiera numer karty oraz imię i nazwisko osoby doznającej "
        "przemocy (nigdy w temacie); Zespół może zamiast nazwiska wysyłać odnośnik do karty w systemie."
    ),
    max_length=8,
    verbose_name="treść powiadomienia o wpłynięciu karty",
)


class Migration(migrations.Migration):
    dependencies = [("bluecard", "0004_annual_report_acceptance")]

    operations = [
        migrations.AddField(model_name="team", name="notification_content", field=FIELD),
        migrations.AddField(model_name="historicalteam", name="notification_content", field=FIELD),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="team", name="notify_with_name"),
        migrations.RemoveField(model_name="historicalteam", name="notify_with_name"),
    ]
