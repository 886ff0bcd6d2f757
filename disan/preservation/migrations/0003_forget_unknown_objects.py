"""Forget ledger rows of objects that were never stored.

`disan audit --object` once took any name as an OCFL object id, audited it,
found it nowhere and left an ObjectFixity row that kept every later audit
reporting it LOST. Such a row has no document and no known file size: it
holds nothing Disan knew about a real object, so it is deleted. A real
object has a document or recorded sizes and keeps its row.
"""

from django.db import migrations


def forget(apps, schema_editor):
    ObjectFixity = apps.get_model("preservation", "ObjectFixity")
    ObjectFixity.objects.filter(document__isnull=True, sizes={}).delete()


class Migration(migrations.Migration):
    dependencies = [("preservation", "0002_fixity")]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
