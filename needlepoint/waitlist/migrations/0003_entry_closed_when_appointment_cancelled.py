from django.db import migrations, models


def close_entries_of_unbooked_appointments(apps, schema_editor):
    # Entries left waiting to move an appointment cancelled before this release
    # (docs/decisions/0211). Not audited: an upgrade step, like the schema change itself.
    entry = apps.get_model("waitlist", "WaitlistEntry")
    entry.objects.filter(status="waiting", appointment__isnull=False).exclude(
        appointment__status="booked"
    ).update(status="closed")


class Migration(migrations.Migration):
    dependencies = [
        ("waitlist", "0002_waitlistoffer_link_secret"),
    ]

    operations = [
        migrations.AlterField(
            model_name="waitlistentry",
            name="status",
            field=models.CharField(
                choices=[
                    ("waiting", "Waiting"),
                    ("booked", "Booked from the waitlist"),
                    ("withdrawn", "Withdrawn"),
                    ("closed", "Closed: the appointment to move was cancelled or has passed"),
                ],
                default="waiting",
                max_length=16,
            ),
        ),
        migrations.RunPython(close_entries_of_unbooked_appointments, migrations.RunPython.noop),
    ]
