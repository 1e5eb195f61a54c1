"""Third-party compute estimates: importing Epoch AI's CSV for a model, accepting or dismissing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from documentation import epoch, services
from documentation.forms import EpochImportForm
from documentation.models import ComputeEstimate
from documentation.views.common import model_for, record_for


@login_required
def epoch_import(request, pk):
    model = model_for(request, pk, ComputeEstimate, "add")
    form = EpochImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            rows = epoch.read(uploaded.read(), uploaded.name)
        except epoch.EpochProblem as problem:
            form.add_error("file", str(problem))
        else:
            found = epoch.matches(
                rows,
                model_name=model.name,
                model_version=model.version,
                supplier_names=(model.supplier.name, model.supplier.legal_name),
            )
            if not found:
                form.add_error(
                    "file",
                    f"No entry in {uploaded.name} is named {model.name} "
                    f"(of {model.supplier.name}); nothing was imported.",
                )
            else:
                for row in found:
                    services.estimate_suggest(model=model, row=row, by=request.user)
                messages.success(
                    request,
                    f"{len(found)} third-party estimate(s) suggested. Accept or dismiss them.",
                )
                return redirect("documentation:model_documentation", model.pk)
    return render(
        request,
        "documentation/epoch_import.html",
        {"gpai_model": model, "form": form, "attribution": epoch.ATTRIBUTION},
    )


@require_POST
@login_required
def estimate_decide(request, pk):
    estimate = record_for(request, ComputeEstimate.objects.all(), pk, "decide")
    accept = request.POST.get("decision") == "accept"
    if request.POST.get("decision") not in ("accept", "dismiss"):
        messages.error(request, "Choose accept or dismiss.")
    else:
        try:
            services.estimate_decide(estimate=estimate, accept=accept, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Estimate accepted." if accept else "Estimate dismissed.")
    return redirect(reverse("documentation:model_documentation", args=[estimate.model_id]))
