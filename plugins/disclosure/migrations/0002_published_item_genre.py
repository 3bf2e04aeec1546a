"""The projection now keeps each catalogue entry's 体裁 (for the 统一信息资源库's filter): fill it in
for the entries already live, from the central catalogue."""

from django.db import migrations

GENRE_LABELS = {"notice": "通知", "announcement": "公告", "decision": "决定", "opinion": "意见",
                "measures": "办法", "provisions": "规定", "report": "报告", "other": "其他"}


def fill_genres(apps, schema_editor):
    if schema_editor.connection.schema_name not in ("public", None):
        return  # public-schema tables: once, not per department schema
    CatalogueItem = apps.get_model("disclosure", "CatalogueItem")
    PublishedItem = apps.get_model("portal", "PublishedItem")
    for department_id, page_id, genre in CatalogueItem.objects.values_list("department_id", "page_id", "genre"):
        PublishedItem.objects.filter(department_id=department_id, kind="article", object_id=page_id).update(
            genre=GENRE_LABELS.get(genre, ""))


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0001_initial"),
        ("portal", "0005_published_item_genre"),
    ]

    operations = [migrations.RunPython(fill_genres, migrations.RunPython.noop)]
