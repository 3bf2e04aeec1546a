"""How a reference shows the original is now the receiving column's setting: a column whose
references were set to link keeps linking."""

from django.db import migrations


def carry_to_columns(apps, schema_editor):
    SharedItemPage = apps.get_model("sharing_references", "SharedItemPage")
    ColumnPage = apps.get_model("pages", "ColumnPage")
    parents = {path[:-4] for path in SharedItemPage.objects.filter(display_mode="link").values_list("path", flat=True)}
    if parents:
        ColumnPage.objects.filter(path__in=parents).update(shared_display="link")


class Migration(migrations.Migration):

    dependencies = [
        ("sharing_references", "0001_shared_item_page"),
        ("pages", "0003_shared_display_set_on_the_column"),
    ]

    operations = [
        migrations.RunPython(carry_to_columns, migrations.RunPython.noop),
        migrations.RemoveField(model_name="shareditempage", name="display_mode"),
    ]
