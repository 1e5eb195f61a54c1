"""Jinja2 for the row loops and the busiest blocks of the longest pages.

Django's template language renders every page. The rows of the longest lists (a supplier
list page, an assessment's items) are the exception: each row is a few lookups repeated a
hundred times, and Jinja2 compiles a template to Python, so the same rows render several
times faster with the same markup. The body of the supplier page and the change history block
of the detail pages are rendered the same way. Autoescaping is on, as in Django's templates;
the `date`, `linebreaksbr` and `truncatechars` filters are Django's own. A page asks for its
rows with the `{% rows %}` tag (`core/templatetags/rows.py`); views never render Jinja2
themselves.
"""

from django.template.defaultfilters import date, linebreaksbr, truncatechars
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape
from django.utils.timezone import template_localtime
from jinja2 import Environment, StrictUndefined

from core.templatetags import select_options


def _as_django_escapes(value):
    """Each printed value as Django's escaping leaves it where the two differ: markupsafe
    writes a quote as &#34; or &#39;, Django as &quot; or &#x27;. A row then reads byte for
    byte as Django's template wrote it. Text without quotes is left to markupsafe, which
    escapes it as Django does, and faster."""
    if hasattr(value, "__html__"):
        return value
    text = value if type(value) is str else str(value)
    return escape(text) if '"' in text or "'" in text else text


def _date(value, format_string):
    """Django's `date` filter, with the reader's time zone applied first as Django's
    templates do before that filter."""
    return date(template_localtime(value), format_string)


def environment(**options):
    # A misspelt name in a row template fails loudly instead of printing nothing.
    options.update(undefined=StrictUndefined)
    options.pop("autoescape", None)
    options.update(finalize=_as_django_escapes)
    env = Environment(autoescape=True, **options)
    env.filters.update(
        date=_date,
        linebreaksbr=lambda value: linebreaksbr(value, autoescape=True),
        truncatechars=truncatechars,
    )
    env.globals.update({"static": static, "url": reverse, "options": select_options.options})
    return env
