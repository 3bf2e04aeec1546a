"""The 移动新媒体 part of the yearly report: per platform, the accounts live in a period.

An account counts when it was open on any day of the period (opened on or before its end, not
closed before its start). 信息发布量 is the sum of the months within the period; 关注量/订阅数 is a
stock, not a flow, so it is the account's figure of the last month within the period that has one.
"""

from datetime import date

from django.db.models import Q

from .models import Account, MonthlyFigure


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def live_accounts(start: date, end: date):
    return (
        Account.objects.filter(opened_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .select_related("department")
    )


def yearly_accounts(start: date, end: date) -> dict:
    """For the dates `start`..`end` (inclusive): `{platform: {"label": "微博", "accounts": [{"name",
    "platform_label", "department", "posts", "followers"}], "posts": int, "followers": int}}` for
    `weibo`, `wechat` and `other`, in that order; a platform without live accounts has an empty list."""
    result = {
        value: {"label": label, "accounts": [], "posts": 0, "followers": 0}
        for value, label in Account.Platform.choices
    }
    accounts = list(live_accounts(start, end))
    figures = MonthlyFigure.objects.filter(
        account__in=accounts, month__gte=_first_of_month(start), month__lte=_first_of_month(end)
    ).order_by("month")
    posts, followers = {}, {}
    for figure in figures:
        posts[figure.account_id] = posts.get(figure.account_id, 0) + figure.posts
        followers[figure.account_id] = figure.followers  # ordered by month: the last one stays
    for account in accounts:
        entry = {
            "name": account.name, "platform_label": account.platform_label,
            "department": account.department.name,
            "posts": posts.get(account.pk, 0), "followers": followers.get(account.pk, 0),
        }
        section = result[account.platform]
        section["accounts"].append(entry)
        section["posts"] += entry["posts"]
        section["followers"] += entry["followers"]
    return result
