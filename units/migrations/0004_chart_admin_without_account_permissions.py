"""The chart administrator manages the chart, not accounts: no group and no ordinary user keeps the right to
add, change or delete users, groups or permissions (a role held through the chart could grant itself
anything). Superusers need no such rows; the administrator role is rebuilt with the chart's permissions."""

from django.db import migrations

ACCOUNT = [f"{a}_{m}" for a in ("add", "change", "delete") for m in ("user", "group", "permission")]


def forwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    account = list(Permission.objects.filter(content_type__app_label="auth", codename__in=ACCOUNT))
    if not account:
        return
    for group in Group.objects.filter(permissions__in=account).distinct():
        group.permissions.remove(*account)
    for user in User.objects.filter(user_permissions__in=account).distinct():
        user.user_permissions.remove(*account)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0003_append_only"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
