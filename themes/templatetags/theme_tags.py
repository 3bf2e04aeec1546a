"""Template tags of the theme: the one date format every page uses, mode switches, the plain
version's image-to-text rule and the previous/next article links."""

import re
from datetime import date, datetime

from django import template
from django.db import models
from django.utils import timezone
from django.utils.safestring import mark_safe

register = template.Library()

PUBLISH_TIME_FORMAT = "%Y-%m-%d %H:%M"


@register.filter
def pubdate(value):
    """Publish times show as YYYY-MM-DD HH:MM in Beijing time."""
    if not value:
        return ""
    return timezone.localtime(value).strftime(PUBLISH_TIME_FORMAT)


@register.filter
def isotime(value):
    """The `datetime` attribute of every <time>: ISO 8601 in local time to the second; HTML
    allows at most three digits of a fraction, and a visitor never needs one."""
    if not value:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@register.simple_tag(takes_context=True)
def mode_switch_url(context, mode, state):
    """A plain link that turns a visitor mode on or off and comes back to this page, so the
    switch works without JavaScript."""
    from urllib.parse import urlencode

    request = context.get("request")
    here = request.get_full_path() if request is not None else "/"
    return f"/theme/mode/{mode}/{state}/?{urlencode({'next': here})}"


IMAGE_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ALT_ATTRIBUTE = re.compile(r"""\balt\s*=\s*("([^"]*)"|'([^']*)')""", re.IGNORECASE)


def images_as_text(html: str) -> str:
    """The plain version shows no images: each becomes its alt text (already escaped in the
    attribute), a decorative image (empty alt) disappears."""

    def replace(match):
        alt = ALT_ATTRIBUTE.search(match.group(0))
        text = (alt.group(2) if alt and alt.group(2) is not None else (alt.group(3) if alt else "")) or ""
        return f"<span class=\"image-text\">[图片：{text}]</span>" if text.strip() else ""

    return IMAGE_TAG.sub(replace, html)


class PlainImagesNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, plain, nodelist):
        self.plain = plain
        self.nodelist = nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        return mark_safe(images_as_text(html)) if self.plain.resolve(context) else html


@register.tag
def plain_images(parser, token):
    """`{% plain_images flag %}…{% end_plain_images %}`: in the plain version, images become text."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("plain_images 需要一个参数：是否为纯文本版")
    nodelist = parser.parse(("end_plain_images",))
    parser.delete_first_token()
    return PlainImagesNode(parser.compile_filter(bits[1]), nodelist)


@register.simple_tag
def page_trail(page):
    """The breadcrumb's pages between the home page and this one (columns, sub-columns).

    Routing leaves each page its parent, so the trail is read from memory; a page reached
    otherwise (a preview) reads its ancestors in one query."""
    trail, node = [], page
    while node is not None and node.depth > 3:
        if not hasattr(node, "_cached_parent_obj"):
            return list(page.get_ancestors().filter(depth__gte=3))
        node = node.get_parent()
        trail.append(node)
    return trail[::-1]


@register.simple_tag
def article_neighbours(page):
    """上一篇 / 下一篇: the live articles next to this one in its column, by publish time (both
    read in one query)."""
    from portal.pages.models import ArticlePage

    siblings = ArticlePage.objects.sibling_of(page, inclusive=False).live().public().only(
        "title", "url_path", "publish_time", "path", "depth"
    )
    key = (page.publish_time, page.pk)
    newer = siblings.filter(
        models.Q(publish_time__gt=key[0]) | models.Q(publish_time=key[0], pk__gt=key[1])
    ).order_by("publish_time", "pk")[:1]
    older = siblings.filter(
        models.Q(publish_time__lt=key[0]) | models.Q(publish_time=key[0], pk__lt=key[1])
    ).order_by("-publish_time", "-pk")[:1]
    neighbours = {"previous": None, "next": None}
    for sibling in newer.union(older, all=True):
        newer_than_page = (sibling.publish_time, sibling.pk) > key
        neighbours["previous" if newer_than_page else "next"] = sibling
    return neighbours
