"""Template filters of the theme: the one date format every page uses."""

from django import template
from django.utils import timezone

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
    return timezone.localtime(value).isoformat() if value else ""
