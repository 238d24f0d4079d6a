from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .site import otp, views

admin.site.site_header = "MOPR – administracja"
admin.site.site_title = "MOPR – administracja"

handler403 = "mopr.site.views.permission_denied"

urlpatterns = [
    path("", views.home, name="home"),
    path("konto/logowanie/", views.LoginView.as_view(), name="login"),
    path("konto/wyloguj/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/weryfikacja/konfiguracja/", otp.otp_setup, name="otp_setup"),
    path("konto/weryfikacja/", otp.otp_verify, name="otp_verify"),
    path("terminy/", views.my_deadlines, name="my_deadlines"),
    path("rejestr-dostepu/", views.access_log, name="access_log"),
    path("dziennik-bezpieczenstwa/", views.security_log, name="security_log"),
    path("poczta/niedostarczone/", views.outbox_undelivered, name="outbox_undelivered"),
    path("zdrowie/", views.health, name="health"),
    path("struktura/", include("units.urls")),
    path("skargi/", include("complaints.urls")),
    path("niebieska-karta/", include("bluecard.urls")),
    path("konkursy/", include("grants.urls")),
    path("admin/", admin.site.urls),
]
