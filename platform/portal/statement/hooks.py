"""What the statement contributes through the plugin hooks: the inspection's check that last
year's statement is on the portal from 1 February (registered in `portal.plugins.CORE_HOOK_MODULES`)."""

from portal.hookspecs import hookimpl


@hookimpl
def inspection_checks():
    from .checks import statement_missing

    return [statement_missing]
