"""What the 政务新媒体 register contributes through the plugin hooks: the inspection's check of
accounts without figures for the last quarter (registered in `portal.plugins.CORE_HOOK_MODULES`)."""

from portal.hookspecs import hookimpl


@hookimpl
def inspection_checks():
    from .checks import accounts_without_figures

    return [accounts_without_figures]
