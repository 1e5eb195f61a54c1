"""URLs of the supplier register: suppliers, models, signatures, exports and the signatory register."""

from django.urls import path

from vendors import views
from vendors.register import views as register_views

app_name = "vendors"

urlpatterns = [
    path("suppliers/", views.SupplierListView.as_view(), name="supplier_list"),
    path("suppliers/new/", views.SupplierCreateView.as_view(), name="supplier_create"),
    path("suppliers/export.csv", views.supplier_export, name="supplier_export"),
    path("suppliers/<int:pk>/", views.SupplierDetailView.as_view(), name="supplier_detail"),
    path("suppliers/<int:pk>/edit/", views.SupplierUpdateView.as_view(), name="supplier_update"),
    path("suppliers/<int:pk>/archive/", views.supplier_archive, name="supplier_archive"),
    path("suppliers/<int:pk>/signatures/", views.signatures_edit, name="signatures_edit"),
    path(
        "suppliers/<int:supplier_pk>/models/new/",
        views.ModelCreateView.as_view(),
        name="model_create",
    ),
    path("models/<int:pk>/", views.ModelDetailView.as_view(), name="model_detail"),
    path("models/<int:pk>/edit/", views.ModelUpdateView.as_view(), name="model_update"),
    path("models/<int:pk>/archive/", views.model_archive, name="model_archive"),
    path("signatory-register/", register_views.RegisterListView.as_view(), name="register_list"),
    path("signatory-register/import/", register_views.register_import, name="register_import"),
    path("signatory-register/<int:pk>/", register_views.register_detail, name="register_detail"),
    path(
        "signatory-register/<int:pk>/apply/", register_views.register_apply, name="register_apply"
    ),
    path(
        "signatory-register/<int:pk>/apply-all/",
        register_views.register_apply_all,
        name="register_apply_all",
    ),
    path(
        "signatory-register/<int:pk>/changes/<int:change_pk>/undo/",
        register_views.register_undo,
        name="register_undo",
    ),
    path(
        "signatory-register/<int:pk>/entries/<int:entry_pk>/match/",
        register_views.register_match,
        name="register_match",
    ),
    path(
        "signatory-register/<int:pk>/entries/<int:entry_pk>/supplier/",
        register_views.register_supplier_create,
        name="register_supplier_create",
    ),
]
