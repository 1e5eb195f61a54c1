from django.urls import path

from identity import views

app_name = "identity"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("verify/", views.verify, name="verify"),
    path("set-up/", views.enrol, name="enrol"),
    path("set-up/qr.svg", views.enrol_qr, name="enrol_qr"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("turn-off/", views.remove, name="remove"),
]
