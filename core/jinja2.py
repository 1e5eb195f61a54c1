"""Jinja2 for the row loops and the busiest blocks of the longest pages.

Django's template language renders every page. The rows of the longest lists (a supplier
list page, an assessment's items) are the exception: each row is a few lookups repeated a
hundred times, and Jinja2 compiles a template to Python, so the same rows render several
times faster with the same markup. The bodies of the supplier and assessment pages and the
change history block of the detail pages are rendered the same way. Autoescaping is on, as in
Django's templates, and a value is printed as Django prints it (`printed`): localized, with
Django's entities for quotes (markupsafe writes `&#39;` and `&#34;` where Django writes
`&#x27;` and `&quot;`); the `date`, `filesizeformat`, `linebreaksbr` and `truncatechars`
filters are Django's own. A page asks for its rows with the `{% rows %}` tag
(`core/templatetags/rows.py`); views never render Jinja2 themselves.
"""

import datetime
import functools
import html

from django.conf import settings
from django.template.defaultfilters import date, filesizeformat, linebreaksbr, truncatechars
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from core.templatetags import select_options


def printed(value):
    """`{{ value }}` as Django's templates print it (render_value_in_context): markup as it is,
    anything else localized and escaped by Django."""
    if type(value) is str:  # the most common, and plain text: escaped as below
        return Markup(html.escape(value))  # noqa: S704 - escaped just now
    if hasattr(value, "__html__"):
        return value
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return Markup(value)  # noqa: S704 - digits; localize() gives str(value) then
    if not isinstance(value, str):
        value = localize(template_localtime(value))
    # django.utils.html.escape without its wrapper for lazy texts: str() is taken here.
    return Markup(html.escape(str(value)))  # noqa: S704 - escaped just now


@functools.lru_cache(maxsize=1024)
def _day(value, format_string, language):
    return date(value, format_string)


def _date(value, format_string):
    """Django's `date` filter, with the reader's time zone applied first as Django's
    templates do before that filter. A day (a date without a time) reads the same in every
    time zone, so its text in a language is formatted once and kept: a list shows the same
    due dates page after page."""
    if type(value) is datetime.date:
        return _day(value, format_string, get_language())
    return date(template_localtime(value), format_string)


def environment(**options):
    # A misspelt name in a row template fails loudly instead of printing nothing.
    options.update(undefined=StrictUndefined)
    options.pop("autoescape", None)
    env = Environment(autoescape=True, finalize=printed, **options)
    env.filters.update(
        date=_date,
        filesizeformat=filesizeformat,
        linebreaksbr=lambda value: linebreaksbr(value, autoescape=True),
        truncatechars=truncatechars,
    )
    env.globals.update({"static": static, "url": reverse, "options": select_options.options})
    return env
