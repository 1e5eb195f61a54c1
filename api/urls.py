"""The REST API under /api/: records, the OpenAPI schema and its reference page.

Every endpoint answers a bearer token or a signed-in session; the web pages' sign-in
redirect does not apply (an API answers 401, not a sign-in page).
"""

from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.views import diligence, register, vendors


def endpoint(view_class):
    return login_not_required(view_class.as_view())


app_name = "api"
urlpatterns = [
    path("schema/", endpoint(SpectacularAPIView), name="schema"),
    # The page and its script are separate requests: the Content Security Policy allows no
    # inline script.
    path(
        "docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("suppliers/", endpoint(vendors.SupplierList), name="supplier_list"),
    path("suppliers/<int:pk>/", endpoint(vendors.SupplierDetail), name="supplier_detail"),
    path("suppliers/<int:pk>/signatures/", endpoint(vendors.SignatureList), name="signature_list"),
    path(
        "suppliers/<int:pk>/signatures/<str:chapter>/",
        endpoint(vendors.SignatureDetail),
        name="signature_detail",
    ),
    path("models/", endpoint(vendors.ModelList), name="model_list"),
    path("models/<int:pk>/", endpoint(vendors.ModelDetail), name="model_detail"),
    path("assessments/", endpoint(diligence.AssessmentList), name="assessment_list"),
    path("assessments/<int:pk>/", endpoint(diligence.AssessmentDetail), name="assessment_detail"),
    path("assessments/<int:pk>/decisions/", endpoint(diligence.DecisionList), name="decision_list"),
    path("assessments/<int:pk>/items/", endpoint(diligence.ItemList), name="item_list"),
    path(
        "assessments/<int:pk>/items/<int:item_pk>/",
        endpoint(diligence.ItemDetail),
        name="item_detail",
    ),
    path(
        "assessments/<int:pk>/items/<int:item_pk>/evidence/",
        endpoint(diligence.EvidenceList),
        name="evidence_list",
    ),
    path("assessments/<int:pk>/documents/", endpoint(diligence.DocumentList), name="document_list"),
    path(
        "assessments/<int:pk>/documents/<int:document_pk>/",
        endpoint(diligence.DocumentDetail),
        name="document_detail",
    ),
    path(
        "assessments/<int:pk>/documents/<int:document_pk>/download/",
        endpoint(diligence.DocumentDownload),
        name="document_download",
    ),
    path("register-snapshots/", endpoint(register.SnapshotList), name="snapshot_list"),
    path("register-snapshots/<int:pk>/", endpoint(register.SnapshotDetail), name="snapshot_detail"),
]
