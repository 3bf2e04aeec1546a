"""RSS and Atom feeds of every column (第九条: what is syndicated elsewhere is on the site too).

An aggregated column's feed carries the items it gathers (projected `PublishedItem`s, each
linking to its own department's site and naming it as the author), like its page.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed

FEED_ITEMS = 30


class ColumnRssFeed(Feed):
    def get_object(self, request, column_path):
        from portal.pages.models import ColumnPage

        self.request = request
        home = request.tenant
        column = (
            ColumnPage.objects.live().public().filter(url_path__endswith=f"/{column_path.strip('/')}/", depth__gte=3)
            .order_by("depth").first()
        )
        if column is None:
            raise Http404("栏目不存在")
        self.department = home
        return column

    def title(self, column):
        return f"{self.department.name} - {column.title}"

    def link(self, column):
        return column.get_url(request=self.request)

    def description(self, column):
        return column.description or column.title

    def items(self, column):
        return column.listed_items(self.request)[:FEED_ITEMS]

    @staticmethod
    def _projected(item) -> bool:
        from portal.models import PublishedItem

        return isinstance(item, PublishedItem)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        if self._projected(item):
            return item.summary
        return item.specific.summary or item.specific.body_text()[:300]

    def item_link(self, item):
        if self._projected(item):
            return item.url
        return item.get_url(request=self.request)

    def item_pubdate(self, item):
        return item.publish_time

    def item_author_name(self, item):
        if self._projected(item):
            return item.department.name
        return item.specific.source or self.department.name


class ColumnAtomFeed(ColumnRssFeed):
    feed_type = Atom1Feed
    subtitle = ColumnRssFeed.description
