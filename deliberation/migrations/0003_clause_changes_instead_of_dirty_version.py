"""Staleness without a hot row: pending `ClauseChange` rows replace `dirty_version`.

Summaries that were stale (votes newer than their watermark) get one pending change each."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def pending_changes_for_stale_summaries(apps, schema_editor):
    ClauseSummary = apps.get_model("deliberation", "ClauseSummary")
    ClauseChange = apps.get_model("deliberation", "ClauseChange")
    stale = ClauseSummary.objects.filter(computed_version__gte=0,
                                         computed_version__lt=F("dirty_version"))
    ClauseChange.objects.bulk_create(
        [ClauseChange(clause_id=pk) for pk in stale.values_list("clause_id", flat=True)],
        batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('definition', '0004_notifications_and_flag_events'),
        ('deliberation', '0002_consensus_storage'),
    ]

    operations = [
        migrations.CreateModel(
            name='ClauseChange',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('clause', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                             related_name='+', to='definition.clause')),
            ],
        ),
        migrations.RunPython(pending_changes_for_stale_summaries, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='clausesummary',
            name='dirty_version',
        ),
    ]
