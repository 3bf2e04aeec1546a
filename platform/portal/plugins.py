"""The plugin manager: finds plugins, and calls hooks for one department at a time.

Built-in plugins (disclosure, mailbox, inspection) are found through the same entry-point group
as external ones. The manager is built on first use, not at import time.
"""

import threading
import time
from dataclasses import dataclass
from functools import wraps
from importlib import import_module
from importlib.metadata import entry_points

import pluggy
from django.http import Http404
from django.urls import include, path

from . import hookspecs

ENTRY_POINT_GROUP = "govsite.plugins"
# Parts of the core that contribute through the same hooks a plugin uses (工作台 panels, report
# figures, inspection checks). They are not plugins: `manage.py plugins` does not list them and nobody disables them.
CORE_HOOK_MODULES = ("portal.sharing.hooks", "portal.newmedia.hooks", "portal.statement.hooks")

_manager: pluggy.PluginManager | None = None


@dataclass(frozen=True)
class MenuLink:
    label: str
    url: str
    icon_name: str = "doc-full"
    order: int = 1000


def get_manager() -> pluggy.PluginManager:
    global _manager
    if _manager is None:
        manager = pluggy.PluginManager(hookspecs.PROJECT)
        manager.add_hookspecs(hookspecs)
        for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            manager.register(entry.load(), name=entry.name)
        for module_name in CORE_HOOK_MODULES:
            manager.register(import_module(module_name), name=module_name)
        _manager = manager
    return _manager


def plugin_names() -> list[str]:
    return sorted(name for name, _ in get_manager().list_name_plugin())


# Every page render asks which plugins are off; the answer is cached per process for a short
# while and dropped at once when this process changes a setting.
SETTINGS_CACHE_SECONDS = 30
_disabled_cache: dict[int, tuple[frozenset, float]] = {}
_disabled_lock = threading.Lock()


def forget_plugin_settings(**kwargs):
    with _disabled_lock:
        _disabled_cache.clear()


def disabled_plugins(department) -> frozenset[str]:
    if department is None or department.kind in ("platform", "template"):
        return frozenset()
    cached = _disabled_cache.get(department.pk)
    now = time.monotonic()
    if cached is not None and cached[1] > now:
        return cached[0]
    from .models import PluginSetting

    disabled = frozenset(
        PluginSetting.objects.filter(department_id=department.pk, enabled=False).values_list("plugin", flat=True)
    )
    with _disabled_lock:
        _disabled_cache[department.pk] = (disabled, now + SETTINGS_CACHE_SECONDS)
    return disabled


def is_enabled(department, plugin_name: str) -> bool:
    return plugin_name not in disabled_plugins(department)


def set_enabled(department, plugin_name: str, enabled: bool) -> None:
    from .models import PluginSetting

    if plugin_name not in plugin_names():
        raise ValueError(f"没有名为 {plugin_name} 的插件")
    PluginSetting.objects.update_or_create(
        department=department, plugin=plugin_name, defaults={"enabled": enabled}
    )
    forget_plugin_settings()


class DepartmentHooks:
    """`hooks_for(department).provision_department(department=…)`: calls leave out disabled plugins."""

    def __init__(self, department):
        self._manager = get_manager()
        self._removed = [self._manager.get_plugin(name) for name in disabled_plugins(department)]
        self._removed = [plugin for plugin in self._removed if plugin is not None]

    def __getattr__(self, hook_name):
        return self._manager.subset_hook_caller(hook_name, remove_plugins=self._removed)


def hooks_for(department) -> DepartmentHooks:
    return DepartmentHooks(department)


def search_documents(department) -> list[dict]:
    """Documents the department's enabled plugins want in the site-wide index."""
    return [doc for docs in hooks_for(department).search_documents(department=department) for doc in docs or []]


def documents_changed(department) -> None:
    """A plugin's `search_documents` for `department` changed (e.g. a letter was published):
    the site-wide index follows after the commit."""
    from django.db import transaction

    def sync():
        from django_tenants.utils import tenant_context

        from search.outbox import sync_plugin_documents

        forget_plugin_settings()  # a plugin switched on or off in this transaction counts now
        if department.is_site:
            with tenant_context(department):
                sync_plugin_documents(department)

    transaction.on_commit(sync)


def inspection_checks(department) -> list:
    """Check functions the department's enabled plugins contribute to the daily inspection."""
    return [check for checks in hooks_for(department).inspection_checks() for check in checks or []]


def performance_figures(department, start, end) -> dict:
    """Report figures the department's enabled plugins contribute, merged by section."""
    merged = {}
    for figures in hooks_for(department).performance_figures(department=department, start=start, end=end):
        for section, values in (figures or {}).items():
            merged.setdefault(section, {}).update(values)
    return merged


def _require_enabled(plugin_name, view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_enabled(getattr(request, "tenant", None), plugin_name):
            raise Http404("该单位未启用此功能")
        return view(request, *args, **kwargs)

    return wrapped


def _guard(patterns, plugin_name):
    """Wrap every view of a plugin's URL patterns so a disabled plugin answers 404."""
    from django.urls import URLPattern, URLResolver

    guarded = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _require_enabled(plugin_name, pattern.callback)
        elif isinstance(pattern, URLResolver):
            _guard(pattern.url_patterns, plugin_name)
        guarded.append(pattern)
    return guarded


def collected_urls(hook_name: str, under_plugin_name: bool = False) -> list:
    """URL patterns from every plugin's `public_urls` or `admin_urls`, each in its namespace.

    Admin URLs are mounted under the plugin's name; public URLs at the site root.
    """
    manager = get_manager()
    patterns = []
    for name, plugin in sorted(manager.list_name_plugin()):
        impl = getattr(plugin, hook_name, None)
        if impl is None:
            continue
        plugin_patterns = _guard(list(impl() or []), name)
        mount, namespace = (f"{name}/", f"{name}_admin") if under_plugin_name else ("", name)
        patterns.append(path(mount, include((plugin_patterns, namespace), namespace=namespace)))
    return patterns


def describe_plugins():
    """Name, version, hooks and the departments that disabled it, for `manage.py plugins`."""
    from importlib.metadata import PackageNotFoundError, distribution

    manager = get_manager()
    rows = []
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        plugin = manager.get_plugin(entry.name)
        if plugin is None:
            continue
        try:
            version = distribution(entry.dist.name).version if entry.dist else "?"
        except PackageNotFoundError:
            version = "?"
        hooks = sorted(caller.name for caller in manager.get_hookcallers(plugin) or [])
        info = (plugin.plugin_info() if hasattr(plugin, "plugin_info") else None) or {}
        rows.append(
            {
                "name": entry.name,
                "title": info.get("title", entry.name),
                "version": version,
                "module": entry.value,
                "hooks": hooks,
            }
        )
    return rows
