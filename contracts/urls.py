"""URLs of the clause pack of an assessment and its documents."""

from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("models/<int:pk>/what-if/", views.model_what_if, name="model_what_if"),
    path("assessments/<int:pk>/clauses/", views.clause_pack_detail, name="clause_pack"),
    path("assessments/<int:pk>/clauses/remove/", views.clause_remove, name="clause_remove"),
    path("assessments/<int:pk>/clauses/add/", views.clause_add, name="clause_add"),
    path(
        "assessments/<int:pk>/clauses/documents/",
        views.document_generate,
        name="document_generate",
    ),
    path(
        "assessments/<int:pk>/clauses/documents/jobs/<uuid:job_id>/",
        views.document_job,
        name="document_job",
    ),
    path(
        "assessments/<int:pk>/clauses/documents/<int:document_pk>/download/",
        views.document_download,
        name="document_download",
    ),
]
