"""`{% plugin_slot "name" %}`: where plugins put HTML into the theme (the `template_slot` hook)."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def plugin_slot(context, slot):
    from portal.plugins import hooks_for

    request = context.get("request")
    department = getattr(request, "tenant", None)
    parts = hooks_for(department).template_slot(slot=slot, department=department, request=request)
    # Plugins return trusted, already-escaped HTML (see the hookspec).
    return mark_safe("".join(part for part in parts if part))
