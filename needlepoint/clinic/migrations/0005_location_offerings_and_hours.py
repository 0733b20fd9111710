"""Each location's services (offered or not, duration and price there) and its opening hours
in words (docs/decisions/0710, 0711). Every existing service is offered at every existing
location on the service's own terms (empty overrides), so nothing changes for a clinic
until its admin sets a location's own terms."""

import django.db.models.deletion
from django.db import migrations, models


def offer_everything_everywhere(apps, schema_editor):
    Location = apps.get_model("clinic", "Location")
    Service = apps.get_model("clinic", "Service")
    ServiceOffering = apps.get_model("clinic", "ServiceOffering")
    ServiceOffering.objects.bulk_create(
        [
            ServiceOffering(location_id=location_id, service_id=service_id, offered=True)
            for location_id in Location.objects.values_list("pk", flat=True)
            for service_id in Service.objects.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0004_location_access"),
    ]

    operations = [
        migrations.AddField(
            model_name="location",
            name="opening_hours",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.CreateModel(
            name="ServiceOffering",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("offered", models.BooleanField(default=True)),
                ("duration_minutes", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "price",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True),
                ),
                (
                    "location",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="offerings",
                        to="clinic.location",
                    ),
                ),
                (
                    "service",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="offerings",
                        to="clinic.service",
                    ),
                ),
            ],
            options={
                "ordering": ["location", "service"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("location", "service"), name="offering_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("duration_minutes__isnull", True))
                        | models.Q(("duration_minutes__gt", 0)),
                        name="offering_duration_positive",
                    ),
                ],
            },
        ),
        migrations.RunPython(offer_everything_everywhere, migrations.RunPython.noop),
    ]
