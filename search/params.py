"""The parameters of a search, as the page and the API receive them, checked once.

Bad values are refused with a Chinese message saying what to fix (the views answer 400 or show
it on the page); text is trimmed, never refused for its length.
"""

import re
from dataclasses import dataclass

PAGE_SIZE = 10
MAX_PAGE = 100
MAX_QUERY_LENGTH = 100


# Column types and plugin document kinds: lower-case codes such as `news` or `letter`.
TYPE_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class InvalidQuery(ValueError):
    pass


def known_department(prefix: str) -> bool:
    """Whether a site (portal, bureau or town) has this host prefix, whatever its status."""
    from tenants.models import Department

    return Department.sites().filter(host_prefix=prefix).exists()


def _flag(data, name: str) -> bool:
    value = (data.get(name) or "").strip()
    if value not in ("", "0", "1"):
        raise InvalidQuery(f"{name} 参数只能是 0 或 1")
    return value == "1"


@dataclass
class Params:
    q: str = ""
    department: str = ""
    type: str = ""
    year: int | None = None
    sort: str = "relevance"
    page: int = 1
    # `nocorrect=1`: search exactly what was typed (the "仍然搜索" link after a correction);
    # `nodept=1`: do not read a department name in the query as a filter (the chip's ×).
    nocorrect: bool = False
    nodept: bool = False

    @classmethod
    def from_data(cls, data) -> "Params":
        q = " ".join((data.get("q") or "").split())[:MAX_QUERY_LENGTH]
        year = (data.get("year") or "").strip()
        # isascii(): "²" and "١" are digits to str.isdigit() but not numbers to int().
        if year and not (year.isascii() and year.isdigit() and 1900 <= int(year) <= 2100):
            raise InvalidQuery("year 参数应为四位年份")
        page = (data.get("page") or "1").strip()
        if not (page.isascii() and page.isdigit()) or int(page) < 1:
            raise InvalidQuery("page 参数应为正整数")
        sort = data.get("sort") or "relevance"
        if sort not in ("relevance", "date"):
            raise InvalidQuery("sort 参数只能是 relevance 或 date")
        department = (data.get("department") or "").strip()
        if department and not known_department(department):
            raise InvalidQuery("department 参数应为单位的网站前缀，例如 jyj")
        kind = (data.get("type") or "").strip()
        if kind and not TYPE_CODE.match(kind):
            raise InvalidQuery("type 参数应为信息类型代码，例如 news、policy")
        return cls(
            q=q,
            department=department,
            type=kind,
            year=int(year) if year else None,
            sort=sort,
            page=min(int(page), MAX_PAGE),
            nocorrect=_flag(data, "nocorrect"),
            nodept=_flag(data, "nodept"),
        )

    def query_string(self, **changes) -> str:
        from urllib.parse import urlencode

        values = {"q": self.q, "department": self.department, "type": self.type, "year": self.year or "",
                  "sort": "" if self.sort == "relevance" else self.sort, "page": "",
                  "nocorrect": "1" if self.nocorrect else "", "nodept": "1" if self.nodept else ""}
        values.update(changes)
        return urlencode({key: value for key, value in values.items() if value not in ("", None)})
