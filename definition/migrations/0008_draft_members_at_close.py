from django.db import migrations, models
from django.db.models import Count


def freeze_closed_drafts(apps, schema_editor):
    """Drafts closed before this field existed count the members as they are now, from now on."""
    Draft = apps.get_model("definition", "Draft")
    Membership = apps.get_model("definition", "Membership")
    Definition = apps.get_model("definition", "Definition")
    for definition_id in set(Draft.objects.filter(status__in=["closed", "final"])
                             .values_list("definition_id", flat=True)):
        version = Definition.objects.get(pk=definition_id).membership_version
        memberships = Membership.objects.filter(definition_id=definition_id)
        verified = (memberships.filter(status="verified").values_list("group_id")
                    .annotate(n=Count("id")).order_by())
        revoked = memberships.filter(status="revoked").order_by("pk")
        frozen = {"verified": {str(group): n for group, n in verified},
                  "revoked": list(revoked.values_list("pk", flat=True)), "version": version}
        Draft.objects.filter(definition_id=definition_id, status__in=["closed", "final"]).update(
            members_at_close=frozen)


class Migration(migrations.Migration):

    dependencies = [
        ('definition', '0007_labels_on_choices'),
    ]

    operations = [
        migrations.AddField(
            model_name='draft',
            name='members_at_close',
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicaldraft',
            name='members_at_close',
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(freeze_closed_drafts, migrations.RunPython.noop),
    ]
