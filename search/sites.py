"""The sites a search spans, and the departments a visitor names in a query.

People type a department the way they say it: 区卫生健康局, 卫生健康局, 卫健局, 区人社局. Each site
is known under its name, its name without the district prefix, its short name, an abbreviation
made the usual way (the first character of each word of the name, keeping the final 局/委/办:
卫生健康局 → 卫健局, 人力资源和社会保障局 → 人社局), and the centre's synonyms of any of these.
Matching is a longest-first scan of a small in-memory table, rebuilt when the departments change.
"""

import re
import threading
from dataclasses import dataclass

from . import text

DISTRICT_PREFIXES = ("源城区", "区")
CONNECTORS = {"和", "与", "及", "暨", "、"}
MIN_ALIAS = 3


@dataclass
class Department:
    tenant: str
    prefix: str
    name: str
    active: bool
    order: tuple
    base_url: str
    short_name: str = ""
    kind: str = "bureau"


def departments() -> dict[str, Department]:
    """Every site (portal and departments), by schema; one small query per search."""
    from tenants.models import Department as DepartmentModel

    rows = DepartmentModel.sites().only(
        "schema_name", "host_prefix", "name", "short_name", "status", "sort_order", "kind"
    )
    return {
        row.schema_name: Department(
            tenant=row.schema_name, prefix=row.host_prefix, name=row.name, active=row.status == "active",
            order=(0 if row.kind == "portal" else 1, row.sort_order, row.pk), base_url=row.base_url,
            short_name=row.short_name, kind=row.kind,
        )
        for row in rows
    }


def _core(name: str) -> str:
    for prefix in DISTRICT_PREFIXES:
        if name.startswith(prefix) and len(name) - len(prefix) >= 2:
            return name[len(prefix):]
    return name


def abbreviation(name: str) -> str:
    """卫生健康局 → 卫健局: first characters of the words before the final unit character."""
    core = _core(text.fold(name))
    if len(core) < 4 or core[-1] not in "局委办院所队站中心":
        return ""
    suffix = "分局" if core.endswith("分局") else core[-1]
    words = [word for word in text.jieba().cut(core[: -len(suffix)]) if word not in CONNECTORS]
    if len(words) < 2 or any(not text.ONLY_HAN.match(word) for word in words):
        return ""
    return "".join(word[0] for word in words) + suffix


def aliases(site: Department, synonym_groups: list[list[str]]) -> set[str]:
    names = {text.fold(site.name), _core(text.fold(site.name))}
    if site.short_name:
        names |= {text.fold(site.short_name), _core(text.fold(site.short_name))}
    short = abbreviation(site.name)
    if short:
        names |= {short, "区" + short}
    for group in synonym_groups:
        if names & set(group):
            names |= set(group)
    return {name.lower() for name in names if len(name) >= MIN_ALIAS}


_table: tuple[tuple, list[tuple[str, str]]] | None = None
_table_lock = threading.Lock()


def alias_table(sites: dict[str, Department]) -> list[tuple[str, str]]:
    """(alias, schema) of every active department site, longest alias first."""
    global _table
    from . import synonyms

    groups = synonyms.groups()
    key = (tuple(sorted((s.tenant, s.name, s.short_name, s.active, s.kind) for s in sites.values())),
           tuple(tuple(group) for group in groups))
    cached = _table
    if cached is None or cached[0] != key:
        entries: dict[str, str | None] = {}
        for site in sites.values():
            if not site.active or site.kind == "portal":
                continue
            for alias in aliases(site, groups):
                # An alias two departments share names neither.
                entries[alias] = None if alias in entries and entries[alias] != site.tenant else site.tenant
        table = sorted(((alias, tenant) for alias, tenant in entries.items() if tenant),
                       key=lambda pair: -len(pair[0]))
        with _table_lock:
            _table = cached = (key, table)
    return cached[1]


@dataclass
class Recognised:
    site: Department
    alias: str
    rest: str  # the query without the department's name ("" when the query is only the name)


SEPARATORS = re.compile(r"^[\s的,，、:：]+|[\s的,，、:：]+$")


def recognise(folded: str, sites: dict[str, Department]) -> Recognised | None:
    """The department a query names, if any, and the rest of the query."""
    lowered = folded.lower()
    for alias, tenant in alias_table(sites):
        position = lowered.find(alias)
        if position < 0:
            continue
        rest = folded[:position] + " " + folded[position + len(alias):]
        rest = " ".join(SEPARATORS.sub("", part) for part in rest.split())
        return Recognised(sites[tenant], alias, " ".join(rest.split()))
    return None
