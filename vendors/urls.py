from django.urls import path

from vendors import views

app_name = "vendors"

urlpatterns = [
    path("suppliers/", views.SupplierListView.as_view(), name="supplier_list"),
    path("suppliers/new/", views.SupplierCreateView.as_view(), name="supplier_create"),
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
]
