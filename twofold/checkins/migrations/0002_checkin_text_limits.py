# The two written answers of a check-in have a maximum length (checked on the plaintext).

from django.db import migrations

import twofold.lib.fields
import twofold.lib.limits


class Migration(migrations.Migration):
    dependencies = [
        ("checkins", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="checkin",
            name="appreciated",
            field=twofold.lib.fields.EncryptedTextField(
                blank=True, max_length=1000, validators=[twofold.lib.limits.TextLimit(1000)]
            ),
        ),
        migrations.AlterField(
            model_name="checkin",
            name="talk_about",
            field=twofold.lib.fields.EncryptedTextField(
                blank=True, max_length=1000, validators=[twofold.lib.limits.TextLimit(1000)]
            ),
        ),
    ]
