"""`{% rows "app/_thing_rows.jinja" name=value ... %}`: a row loop rendered by Jinja2.

See core/jinja2.py for why. The row template receives only the names passed to the tag and
the request, so what it depends on is visible where it is used.
"""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def rows(context, template_name, **names):
    jinja = engines["jinja2"].get_template(template_name)
    # Jinja2 escaped every value the template printed (autoescape is on), so the result is
    # markup as Django's own templates would have produced it.
    return mark_safe(jinja.render(names, request=context.get("request")))  # noqa: S308
