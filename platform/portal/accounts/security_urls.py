from django.urls import path

from . import security_views

app_name = "account_security"
urlpatterns = [
    path("totp/verify/", security_views.totp_verify, name="totp_verify"),
    path("totp/enrol/", security_views.totp_enrol, name="totp_enrol"),
    path("password/", security_views.password_change, name="password_change"),
]
