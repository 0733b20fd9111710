# Roles granted per location (docs/decisions/0700-roles-granted-per-location.md).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STAFF_ROLES = ("front_desk", "aesthetician", "physician", "clinic_admin")


def existing_staff_work_group_wide(apps, schema_editor):
    """Today every staff member acts at every location: keep it so after the upgrade."""
    User = apps.get_model("accounts", "User")
    LocationAccess = apps.get_model("clinic", "LocationAccess")
    staff = User.objects.filter(role__in=STAFF_ROLES).values_list("pk", flat=True)
    LocationAccess.objects.bulk_create(
        [LocationAccess(user_id=pk, location=None) for pk in staff.iterator()],
        batch_size=500,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("clinic", "0003_clinic_profile"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LocationAccess",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("granted_at", models.DateTimeField(auto_now_add=True)),
                ("location", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="staff_grants", to="clinic.location")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="location_grants", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("user", "location"), name="location_access_once"),
                    models.UniqueConstraint(condition=models.Q(("location__isnull", True)), fields=("user",), name="location_access_group_once"),
                ],
            },
        ),
        migrations.RunPython(existing_staff_work_group_wide, migrations.RunPython.noop),
    ]
