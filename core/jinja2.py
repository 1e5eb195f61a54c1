"""Jinja2 for the row loops of the longest pages.

Django's template language renders every page. The rows of the longest lists (a supplier
list page, an assessment's items) are the exception: each row is a few lookups repeated a
hundred times, and Jinja2 compiles a template to Python, so the same rows render several
times faster with the same markup. Autoescaping is on, as in Django's templates. A page asks
for its rows with the `{% rows %}` tag (`core/templatetags/rows.py`); views never render
Jinja2 themselves.
"""

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment, StrictUndefined


def environment(**options):
    # A misspelt name in a row template fails loudly instead of printing nothing.
    options.update(undefined=StrictUndefined)
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    env.globals.update({"static": static, "url": reverse})
    return env
