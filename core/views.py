from django.db.models import Count, Q
from django.shortcuts import render

from vendors.models import Chapter, GPAIModel, Signature, SignatureStatus, Supplier


def home(request):
    """A first overview of the register for any signed-in user."""
    can_see = request.user.has_perm("vendors.view_supplier")
    context = {"can_see": can_see}
    if can_see:
        signed = Signature.objects.filter(
            supplier__archived_at__isnull=True, status=SignatureStatus.SIGNED
        ).aggregate(**{c.value: Count("id", filter=Q(chapter=c.value)) for c in Chapter})
        context.update(
            supplier_count=Supplier.objects.active().count(),
            model_count=GPAIModel.objects.active()
            .filter(supplier__archived_at__isnull=True)
            .count(),
            signed_by_chapter=[(c.label, c.value, signed[c.value]) for c in Chapter],
        )
    return render(request, "core/home.html", context)
