from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "portal.topics"
    label = "topics"
    verbose_name = "专题专栏"

    def ready(self):
        # A 专题 may be created wherever a column may: under the homepage and under a column
        # (e.g. a 专题专栏 column gathering them). The page tree's rules live on the parents,
        # so they are extended here, once, before Wagtail first resolves them.
        from portal.pages.models import ColumnPage, HomePage

        for parent in (HomePage, ColumnPage):
            if "topics.TopicColumnPage" not in parent.subpage_types:
                parent.subpage_types = [*parent.subpage_types, "topics.TopicColumnPage"]
                parent._clean_subpage_models = None
