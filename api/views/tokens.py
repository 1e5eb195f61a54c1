"""The account page where a user creates and revokes their own API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api import tokens
from api.forms import ApiTokenForm
from api.models import ApiToken


@never_cache
@login_required
def token_list(request):
    """Create a token (shown once, on the answer to the POST) and list the user's tokens."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        row, new_token = tokens.api_token_create(
            user=request.user, by=request.user, **form.cleaned_data
        )
        messages.success(
            request, f"Token “{row.name}” created. Copy it now: it is not shown again."
        )
        form = ApiTokenForm()
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": ApiToken.objects.filter(user=request.user),
        "now": timezone.now(),
    }
    return render(request, "api/token_list.html", context)


@require_POST
@login_required
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.api_token_revoke(token=token, by=request.user)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("api_tokens")
