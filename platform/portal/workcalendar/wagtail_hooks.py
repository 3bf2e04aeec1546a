"""The 工作日历 admin: system administrators enter next year's schedule and correct days."""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import CalendarDay, CalendarYear


class CalendarYearViewSet(ModelViewSet):
    model = CalendarYear
    menu_label = "节假日安排年度"
    icon = "date"
    list_display = ["year", "source", "entered_at"]
    form_fields = ["year", "source"]


class CalendarDayViewSet(ModelViewSet):
    model = CalendarDay
    menu_label = "节假日/调休日"
    icon = "calendar-alt"
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    form_fields = ["date", "kind", "name"]


class WorkCalendarGroup(ViewSetGroup):
    menu_label = "工作日历"
    menu_icon = "date"
    menu_order = 9050
    items = (CalendarYearViewSet("calendar_years"), CalendarDayViewSet("calendar_days"))


@hooks.register("register_admin_viewset")
def register_work_calendar():
    return WorkCalendarGroup()
