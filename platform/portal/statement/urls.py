"""The portal's public pages of the statement."""

from django.urls import path

from . import views

urlpatterns = [
    path("statement/", views.public_index, name="statement_index"),
    path("statement/<int:year>/", views.public_statement, name="statement_page"),
    path("statement/<int:year>.pdf", views.public_file, {"kind": "pdf"}, name="statement_file_pdf"),
    path("statement/<int:year>.xlsx", views.public_file, {"kind": "xlsx"}, name="statement_file_xlsx"),
]
