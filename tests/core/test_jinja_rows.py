"""The {% rows %} tag: Jinja2 row loops inside Django pages, escaped like Django's own output."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, engines
from django.test import RequestFactory
from django.urls import reverse
from jinja2 import UndefinedError

HERE = Path(__file__).parent


@pytest.fixture
def sample_dir(settings):
    templates = [dict(engine) for engine in settings.TEMPLATES]
    jinja = next(engine for engine in templates if engine.get("NAME") == "jinja2")
    jinja["DIRS"] = [*jinja["DIRS"], HERE / "templates"]
    settings.TEMPLATES = templates


def test_rows_tag_renders_the_jinja_template_with_escaping_urls_and_request(sample_dir):
    request = RequestFactory().get("/somewhere/")
    page = Template(
        '{% load rows %}<table>{% rows "core/_sample_rows.jinja" names=names %}</table>'
    )

    html = page.render(Context({"names": ["<script>x</script>", "A & B"], "request": request}))

    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "A &amp; B" in html
    assert f'href="{reverse("vendors:supplier_list")}"' in html
    assert html.count("<td>/somewhere/</td>") == 2
    # The tag's output is not escaped a second time.
    assert html.startswith("<table><tr>")


def test_a_misspelt_name_in_a_row_template_fails_instead_of_printing_nothing():
    template = engines["jinja2"].from_string("{{ nmae }}")

    with pytest.raises(UndefinedError):
        template.render({"name": "x"})


def test_django_pages_are_still_rendered_by_django_templates():
    assert settings.TEMPLATES[0]["BACKEND"] == "django.template.backends.django.DjangoTemplates"
    assert engines["jinja2"].from_string("{{ v }}").render({"v": "<i>"}) == "&lt;i&gt;"


def test_quotes_are_escaped_as_django_escapes_them():
    template = engines["jinja2"].from_string("{{ v }}")
    value = '"it\'s" <b>'

    assert template.render({"v": value}) == Template("{{ v }}").render(Context({"v": value}))
    assert template.render({"v": value}) == "&quot;it&#x27;s&quot; &lt;b&gt;"


def test_row_templates_print_values_as_django_templates_do():
    """Quotes with Django's entities, dates and lazy texts as Django prints them, markup kept."""
    import datetime

    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    source = "{{ text }}|{{ day }}|{{ lazy }}|{{ safe }}|{{ none }}|{{ number }}"
    values = {
        "text": "<a href=\"x\">'it' & more</a>",
        "day": datetime.date(2026, 3, 1),
        "lazy": gettext_lazy("Not applicable"),
        "safe": mark_safe("<b>kept</b>"),
        "none": None,
        "number": 1234567,
    }
    jinja = engines["jinja2"].from_string(source).render(values)
    django = engines["django"].from_string(source).render(values)
    assert jinja == django
    assert "&#x27;it&#x27;" in jinja


def test_a_day_formatted_by_row_templates_reads_as_djangos_date_filter_in_each_language():
    """Days are formatted once per language and kept: the next language gets its own text."""
    import datetime

    from django.utils import translation

    source = '{{ day|date("j M Y") }}|{{ moment|date("j M Y H:i") }}'
    django_source = '{{ day|date:"j M Y" }}|{{ moment|date:"j M Y H:i" }}'
    values = {
        "day": datetime.date(2026, 3, 1),
        "moment": datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC),
    }
    pages = {}
    for language in ["en-gb", "de", "en-gb"]:
        with translation.override(language):
            jinja = engines["jinja2"].from_string(source).render(values)
            assert jinja == engines["django"].from_string(django_source).render(values)
            pages.setdefault(language, jinja)
    assert pages == {"en-gb": "1 Mar 2026|2 Mar 2026 00:30", "de": "1 Mär 2026|2 Mär 2026 00:30"}
