# FollowUp moves to the followups app (issue #10). State only: the table outcomes_followup
# stays, and followups.0001_initial takes it over (docs/decisions/0305).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('outcomes', '0002_followups'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='FollowUp')],
            database_operations=[],
        ),
    ]
