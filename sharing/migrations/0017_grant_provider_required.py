"""Every grant names its provider; the provider's grants are listed newest first by index.

A migration of its own: PostgreSQL does not alter a table whose rows the same transaction
updated while their deferred foreign-key checks are pending (0016 fills the column).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0016_grant_provider"),
    ]

    operations = [
        migrations.AlterField(
            model_name="grant",
            name="provider",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.department",
                verbose_name="provider",
            ),
        ),
        migrations.AddIndex(
            model_name="grant",
            index=models.Index(
                fields=["provider", "-created_at", "-id"], name="grant_provider_recent"
            ),
        ),
    ]
