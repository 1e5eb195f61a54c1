"""URLs of the supplier's documentation: MDF versions, training summaries, compute estimates."""

from django.urls import path

from documentation.views import estimates, mdf, summaries

app_name = "documentation"

urlpatterns = [
    path("models/<int:pk>/documentation/", mdf.model_documentation, name="model_documentation"),
    path("models/<int:pk>/mdf/new/", mdf.mdf_create, name="mdf_create"),
    path("models/<int:pk>/mdf/import/", mdf.mdf_import, name="mdf_import"),
    path("mdf/<int:pk>/", mdf.mdf_detail, name="mdf_detail"),
    path("mdf/<int:pk>/edit/", mdf.mdf_edit, name="mdf_edit"),
    path("mdf/<int:pk>/confirm/", mdf.mdf_confirm, name="mdf_confirm"),
    path("mdf/<int:pk>/source/", mdf.mdf_source_download, name="mdf_source_download"),
    path("mdf/<int:pk>/new-version/", mdf.mdf_new_version, name="mdf_new_version"),
    path("models/<int:pk>/training-summary/new/", summaries.summary_create, name="summary_create"),
    path(
        "models/<int:pk>/training-summary/import/",
        summaries.summary_import,
        name="summary_import",
    ),
    path("training-summaries/<int:pk>/", summaries.summary_detail, name="summary_detail"),
    path("training-summaries/<int:pk>/edit/", summaries.summary_edit, name="summary_edit"),
    path("training-summaries/<int:pk>/confirm/", summaries.summary_confirm, name="summary_confirm"),
    path(
        "training-summaries/<int:pk>/source/",
        summaries.summary_source_download,
        name="summary_source_download",
    ),
    path("models/<int:pk>/compute-estimates/import/", estimates.epoch_import, name="epoch_import"),
    path("compute-estimates/<int:pk>/decide/", estimates.estimate_decide, name="estimate_decide"),
]
