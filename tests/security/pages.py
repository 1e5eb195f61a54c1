"""Reading the forms of a page the way a browser does: method, action and the fields each
form submits, with the choices of its selects."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    method: str
    action: str
    fields: dict = field(default_factory=dict)  # name -> list of offered values ([] if free)


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                PageForm((attrs.get("method") or "get").lower(), attrs.get("action") or "")
            )
            return
        if not self.forms:
            return
        fields = self.forms[-1].fields
        name = attrs.get("name")
        if tag in ("input", "textarea", "button") and name:
            values = fields.setdefault(name, [])
            if attrs.get("type") in ("radio", "checkbox", "hidden", "submit") and "value" in attrs:
                values.append(attrs["value"] or "")
        elif tag == "select" and name:
            self._select = fields.setdefault(name, [])
        elif tag == "option" and self._select is not None and "value" in attrs:
            self._select.append(attrs["value"] or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def page_forms(html):
    parser = _Forms()
    parser.feed(html)
    return parser.forms
