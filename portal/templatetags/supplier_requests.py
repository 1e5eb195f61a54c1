"""`{% supplier_requests assessment %}`: the supplier requests of an assessment, for its page.

A tag, so that the assessment page shows them without diligence importing this app."""

from django import template

from portal import queries

register = template.Library()


@register.inclusion_tag("portal/_assessment_requests.html", takes_context=True)
def supplier_requests(context, assessment):
    user = context["user"]
    if not user.has_perm("portal.view_supplierrequest"):
        return {"show": False}
    requests, answered = queries.for_assessment_page(assessment)
    return {
        "show": True,
        "assessment": assessment,
        "requests": requests,
        "answered": answered,
        "can_ask": user.has_perm("portal.add_supplierrequest") and assessment.editable_by(user),
    }
