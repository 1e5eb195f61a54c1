"""URLs of the assessment pages and their workflow actions."""

from django.urls import path

from diligence import views

app_name = "diligence"

urlpatterns = [
    path("assessments/", views.AssessmentListView.as_view(), name="assessment_list"),
    path("assessments/new/", views.assessment_start, name="assessment_start"),
    path("assessments/export.csv", views.assessment_export, name="assessment_export"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
    path("assessments/<int:pk>/return/", views.assessment_return, name="assessment_return"),
    path("assessments/<int:pk>/decide/", views.assessment_decide, name="assessment_decide"),
    path("assessments/<int:pk>/reopen/", views.assessment_reopen, name="assessment_reopen"),
    path("assessments/<int:pk>/move/", views.assessment_move, name="assessment_move"),
    path(
        "assessments/<int:pk>/decisions/<int:decision_pk>/attachment/",
        views.decision_attachment,
        name="decision_attachment_download",
    ),
    path("assessments/<int:pk>/items/<int:item_pk>/", views.item_detail, name="item_detail"),
    path("assessments/<int:pk>/items/status/", views.items_bulk_status, name="items_bulk_status"),
    path(
        "assessments/<int:pk>/items/<int:item_pk>/status/",
        views.item_quick_status,
        name="item_quick_status",
    ),
    path(
        "assessments/<int:pk>/items/<int:item_pk>/evidence/<int:evidence_pk>/download/",
        views.evidence_download,
        name="evidence_download",
    ),
]
