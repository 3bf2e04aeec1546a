"""The 值班表 and 事件记录 screens (Wagtail `ModelViewSet`s), for the centre's watch staff only.

System and security administrators see both on every site's admin; department people get 403.
The 事件记录 is a record: nobody edits or deletes an incident; people acknowledge it and resolve
it with what they did (`incidents.acknowledge` / `resolve`), or record one by hand.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import path
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.utils.urlpatterns import decorate_urlpatterns

from . import duty, views
from .models import DutyShift, Incident


class WatchStaffPolicy(BasePermissionPolicy):
    """`actions` are allowed to watch staff (system and security administrators), nothing else to
    anyone: a superuser account is no exception."""

    def __init__(self, model, actions):
        super().__init__(model)
        self.actions = set(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and duty.is_watch_staff(user)

    def user_has_any_permission(self, user, actions):
        return bool(self.actions & set(actions)) and duty.is_watch_staff(user)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not self.actions & set(actions):
            return users.none()
        return users.filter(Q(central_roles__role__in=duty.WATCH_ROLES) | Q(is_superuser=True)).distinct()


def _audit_roster(request, shift, change):
    from portal.audit.log import record

    record("duty_roster_change", request=request, target=str(shift)[:255],
           details={"change": change, "shift": shift.pk, "person": shift.person.get_username(),
                    "start": f"{shift.start_date:%Y-%m-%d}", "end": f"{shift.end_date:%Y-%m-%d}", "role": shift.role})


class DutyShiftIndexView(IndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days = duty.coming_days()
        context.update(coming_days=days, uncovered=[row for row in days if not row["shifts"]],
                       on_duty_today=duty.on_duty())
        return context


class InvalidInputIs400:
    """A form sent back with errors answers 400 (the input is kept, the errors say what to fix)."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class DutyShiftCreateView(InvalidInputIs400, CreateView):
    def save_instance(self):
        shift = super().save_instance()
        _audit_roster(self.request, shift, "create")
        return shift


class DutyShiftEditView(InvalidInputIs400, EditView):
    def save_instance(self):
        shift = super().save_instance()
        _audit_roster(self.request, shift, "edit")
        return shift


class DutyShiftDeleteView(DeleteView):
    def delete_action(self):
        _audit_roster(self.request, self.object, "delete")
        super().delete_action()


class WatchStaffOnly:
    """Every route of the viewset, Wagtail's and ours, goes through `watch_staff_required`."""

    def get_urlpatterns(self):
        return decorate_urlpatterns([*super().get_urlpatterns(), *self.action_urlpatterns()],
                                    views.watch_staff_required)

    def action_urlpatterns(self):
        return []


class DutyShiftViewSet(WatchStaffOnly, ModelViewSet):
    model = DutyShift
    menu_label = "值班表"
    icon = "calendar-alt"
    list_display = ["start_date", "end_date", "person", "role", "note"]
    form_fields = ["start_date", "end_date", "person", "role", "note"]
    index_view_class = DutyShiftIndexView
    add_view_class = DutyShiftCreateView
    edit_view_class = DutyShiftEditView
    delete_view_class = DutyShiftDeleteView
    index_template_name = "operations/duty_index.html"


class IncidentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="状态", method="filter_status", empty_label="全部",
        choices=[("waiting", "未确认"), ("open", "未处置完成"), ("resolved", "已处置")],
    )

    def filter_status(self, queryset, name, value):
        if value == "waiting":
            return queryset.filter(resolved_at__isnull=True, acknowledged_at__isnull=True)
        if value == "open":
            return queryset.filter(resolved_at__isnull=True)
        if value == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset

    class Meta:
        model = Incident
        fields = ["kind", "department"]


class IncidentCreateView(InvalidInputIs400, CreateView):
    """登记事件: a person reports one (kind, department, what happened); on duty is alerted."""

    def save_instance(self):
        from .incidents import record_by_hand

        data = self.form.cleaned_data
        return record_by_hand(self.request.user, data["kind"], data["title"], data.get("details", ""),
                              data.get("department"), request=self.request)


class IncidentInspectView(InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(incident=self.object, resolve_form=kwargs.get("resolve_form") or views.ResolveForm())
        return context


class IncidentViewSet(WatchStaffOnly, ModelViewSet):
    model = Incident
    menu_label = "事件记录"
    icon = "warning"
    list_display = ["title", "kind", "department", "detected_at", Column("status_label", label="状态"),
                    "acknowledged_by", Column("resolved_by_label", label="处置人"), "resolved_at"]
    filterset_class = IncidentFilterSet
    form_fields = ["kind", "department", "title", "details"]
    add_view_class = IncidentCreateView
    inspect_view_enabled = True
    inspect_view_class = IncidentInspectView
    inspect_view_fields = ["title", "kind", "department", "details", "detected_at", "last_seen_at", "occurrences",
                           "reported_by", "notified", "acknowledged_at", "acknowledged_by", "resolved_at",
                           "resolution"]
    inspect_template_name = "operations/incident_inspect.html"

    def action_urlpatterns(self):
        return [
            path("acknowledge/<int:pk>/", views.acknowledge_incident, name="acknowledge"),
            path("resolve/<int:pk>/", views.resolve_incident, name="resolve"),
        ]


class WatchGroup(ViewSetGroup):
    menu_label = "值班与事件"
    menu_icon = "warning"
    menu_order = 9055
    items = (DutyShiftViewSet("duty_roster"), IncidentViewSet("incidents"))
