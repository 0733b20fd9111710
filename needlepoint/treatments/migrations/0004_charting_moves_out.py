"""The treatment day's models move to the `charting` app (issue #10): state only.

Their tables stay where they are (`charting` models set `Meta.db_table` to the old names), so
this migration changes Django's idea of which app owns them and runs no SQL. The models that
point at SessionChart go first. `charting/0001_initial.py` is the other half.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0003_chart_late_entry"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CartridgeUse"),
                migrations.DeleteModel(name="AdverseEvent"),
                migrations.DeleteModel(name="ChartAmendment"),
                migrations.DeleteModel(name="SessionChart"),
                migrations.DeleteModel(name="ConsentSignature"),
                migrations.DeleteModel(name="DayOfCheck"),
                migrations.DeleteModel(name="CartridgeReceipt"),
            ],
            database_operations=[],
        ),
    ]
