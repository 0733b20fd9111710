# FollowUp, moved from outcomes (issue #10). State only: the model keeps its table
# outcomes_followup, its index and its constraint (docs/decisions/0305).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('outcomes', '0003_followup_moves_out'),
        ('patients', '0001_initial'),
        ('scheduling', '0001_initial'),
        ('treatments', '0002_treatment_day'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FollowUp',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('outcome_visit', 'Outcome visit'), ('maintenance_recall', 'Maintenance recall')], max_length=24)),
                        ('months_after', models.PositiveSmallIntegerField()),
                        ('last_session_on', models.DateField(help_text="The course's last session it counts from.")),
                        ('due_on', models.DateField()),
                        ('text', models.CharField(max_length=300)),
                        ('raised_at', models.DateTimeField(blank=True, null=True)),
                        ('dismissed_at', models.DateTimeField(blank=True, null=True)),
                        ('dismissed_reason', models.CharField(blank=True, max_length=300)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('appointment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='follow_ups', to='scheduling.appointment')),
                        ('patient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='follow_ups', to='patients.patient')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='follow_ups', to='treatments.treatmentplan')),
                    ],
                    options={
                        'db_table': 'outcomes_followup',
                        'ordering': ['due_on', 'id'],
                        'indexes': [models.Index(fields=['due_on', 'kind'], name='followup_due_kind')],
                        'constraints': [models.UniqueConstraint(fields=('plan', 'kind', 'months_after'), name='followup_once_per_plan')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
