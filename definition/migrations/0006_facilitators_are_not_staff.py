"""Facilitators are no longer staff: the Django admin is for site admins (issue #11, finding 1).

Until now naming a facilitator made them `is_staff`; this clears that flag for every facilitator who
is not a superuser. A new event kind records a facilitator's removal."""

from django.db import migrations, models


def clear_facilitator_staff(apps, schema_editor):
    Definition = apps.get_model("definition", "Definition")
    User = Definition._meta.get_field("facilitators").related_model
    facilitating = Definition.facilitators.through.objects.values("user_id")
    User.objects.filter(pk__in=facilitating, is_staff=True, is_superuser=False).update(
        is_staff=False)


class Migration(migrations.Migration):

    dependencies = [
        ('definition', '0005_job_heartbeat_attempts_fingerprint'),
    ]

    operations = [
        migrations.AlterField(
            model_name='event',
            name='kind',
            field=models.CharField(choices=[('definition-created', 'Definition Created'), ('facilitator-added', 'Facilitator Added'), ('facilitator-removed', 'Facilitator Removed'), ('settings-changed', 'Settings Changed'), ('draft-created', 'Draft Created'), ('draft-published', 'Draft Published'), ('draft-closed', 'Draft Closed'), ('draft-finalized', 'Draft Finalized'), ('member-verified', 'Member Verified'), ('member-rejected', 'Member Rejected'), ('member-revoked', 'Member Revoked'), ('disposition', 'Disposition'), ('block-overruled', 'Block Overruled'), ('comment-hidden', 'Comment Hidden'), ('comment-restored', 'Comment Restored'), ('flags-resolved', 'Flags Resolved')], max_length=30),
        ),
        migrations.RunPython(clear_facilitator_staff, migrations.RunPython.noop),
    ]
