"""The register's admin screens (Wagtail `ModelViewSet`s), for the centre's system administrators.

Every route, Wagtail's own and the import, goes through `central_admin_required`: department
people get a 403 page in Chinese on every site's admin.
"""

import django_filters
from django.urls import path
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.utils.urlpatterns import decorate_urlpatterns

from tenants.admin_views import central_admin_required

from . import views
from .forms import AccountForm
from .models import Account, MonthlyFigure


class InvalidInputIs400:
    """A form sent back with errors answers 400 (the input is kept, the errors say what to fix)."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class CentralAdminsOnly:
    def get_urlpatterns(self):
        return decorate_urlpatterns([*super().get_urlpatterns(), *self.action_urlpatterns()],
                                    central_admin_required)

    def action_urlpatterns(self):
        return []


class AccountCreateView(InvalidInputIs400, CreateView):
    pass


class AccountEditView(InvalidInputIs400, EditView):
    pass


class AccountViewSet(CentralAdminsOnly, ModelViewSet):
    model = Account
    menu_label = "账号"
    icon = "mobile-alt"
    list_display = ["name", Column("platform_label", label="平台"), "department", "status", "opened_on", "closed_on"]
    list_filter = ["platform", "status", "department"]
    search_fields = ["name"]
    form_fields = ["platform", "platform_name", "name", "department", "status", "url", "opened_on", "closed_on"]
    add_view_class = AccountCreateView
    edit_view_class = AccountEditView

    def get_form_class(self, for_update=False):
        from django.forms.models import modelform_factory

        return modelform_factory(self.model, form=AccountForm, fields=self.form_fields,
                                 formfield_callback=self.formfield_for_dbfield)


class FigureFilterSet(WagtailFilterSet):
    account = django_filters.ModelChoiceFilter(label="账号", queryset=Account.objects.all())

    class Meta:
        model = MonthlyFigure
        fields = ["account", "account__platform"]


class FigureCreateView(InvalidInputIs400, CreateView):
    pass


class FigureEditView(InvalidInputIs400, EditView):
    pass


class MonthlyFigureViewSet(CentralAdminsOnly, ModelViewSet):
    model = MonthlyFigure
    menu_label = "月度数据"
    icon = "table"
    list_display = ["account", Column("month_label", label="月份", accessor=lambda figure: f"{figure.month:%Y-%m}"),
                    "posts", "followers"]
    filterset_class = FigureFilterSet
    form_fields = ["account", "month", "posts", "followers"]
    add_view_class = FigureCreateView
    edit_view_class = FigureEditView
    index_template_name = "newmedia/figure_index.html"

    def action_urlpatterns(self):
        return [path("import/", views.import_view, name="import")]


class NewMediaGroup(ViewSetGroup):
    menu_label = "政务新媒体"
    menu_icon = "mobile-alt"
    menu_order = 9058
    items = (AccountViewSet("newmedia_accounts", url_prefix="newmedia/accounts"),
             MonthlyFigureViewSet("newmedia_figures", url_prefix="newmedia/figures"))
