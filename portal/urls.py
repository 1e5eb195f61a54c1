"""URLs of the supplier link: the buyer's pages under an assessment, the supplier's under
/supplier/ (the link's path is redacted from logs: portal.tokens)."""

from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path(
        "assessments/<int:pk>/supplier-requests/new/",
        views.request_create,
        name="request_create",
    ),
    path(
        "assessments/<int:pk>/supplier-requests/<int:request_pk>/",
        views.request_detail,
        name="request_detail",
    ),
    path(
        "assessments/<int:pk>/supplier-requests/<int:request_pk>/resend/",
        views.request_resend,
        name="request_resend",
    ),
    path(
        "assessments/<int:pk>/supplier-requests/<int:request_pk>/revoke/",
        views.request_revoke,
        name="request_revoke",
    ),
    path(
        "assessments/<int:pk>/supplier-requests/<int:request_pk>/documentation/",
        views.documentation_record,
        name="documentation_record",
    ),
    path(
        "assessments/<int:pk>/supplier-requests/<int:request_pk>/answers/<int:row_pk>/accept/",
        views.answer_accept,
        name="answer_accept",
    ),
    path(
        "assessments/<int:pk>/supplier-requests/<int:request_pk>/answers/<int:row_pk>/ask-again/",
        views.answer_ask_again,
        name="answer_ask_again",
    ),
    path(
        "assessments/<int:pk>/supplier-requests/<int:request_pk>/files/<int:file_pk>/download/",
        views.supplier_file_download,
        name="supplier_file_download",
    ),
    # The supplier's pages.
    path("supplier/link/<str:token>/", views.link, name="link"),
    path("supplier/", views.answers, name="answers"),
    path("supplier/files/<int:file_pk>/remove/", views.file_remove, name="file_remove"),
    path("supplier/model-documentation-form/", views.mdf, name="mdf"),
    path("supplier/training-summary/", views.summary, name="summary"),
    path("supplier/submitted/", views.submitted, name="submitted"),
    path("supplier/reminders/stop/<str:key>/", views.reminders_stop, name="reminders_stop"),
]
