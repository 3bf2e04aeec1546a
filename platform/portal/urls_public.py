"""URLs of the bare platform host (the public schema): it only points visitors to the portal."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.to_portal, name="to_portal"),
]

# A database that cannot be reached answers a Chinese 503 (portal.database_errors).
handler500 = "portal.database_errors.server_error"
