"""The server-side SVG charts: well-formed, accessible, escaped, proportional."""

import xml.etree.ElementTree as ET

import pytest

from overview.charts import WIDTH, Bar, Segment, bar_chart, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup):
    return ET.fromstring(str(markup))  # noqa: S314 - markup the tests made


def _bars(**kwargs):
    return bar_chart(chart_id="c", title="Gaps", description="Gaps per category.", **kwargs)


def test_a_bar_chart_is_a_labelled_group_with_a_title_and_a_description():
    svg = _parse(_bars(bars=[Bar("Copyright", 3, "/gaps/?category=copyright")]))

    assert svg.get("role") == "group"  # its bars are links, which an image may not hold
    assert svg.get("aria-labelledby") == "c-title c-desc"
    assert svg.find(f"{SVG}title").text == "Gaps"
    assert svg.find(f"{SVG}title").get("id") == "c-title"
    assert svg.find(f"{SVG}desc").text == "Gaps per category."
    link = svg.find(f".//{SVG}a")
    assert link.get("href") == "/gaps/?category=copyright"
    assert link.get("aria-label") == "Copyright: 3"


@pytest.mark.parametrize(
    ("values", "max_value", "widths"),
    [
        ([4, 2, 0], None, [1.0, 0.5, 0.0]),
        ([50, 100], 100, [0.5, 1.0]),
        ([150], 100, [1.0]),  # never longer than the track
        ([0, 0], None, [0.0, 0.0]),
    ],
)
def test_bars_are_drawn_in_proportion(values, max_value, widths):
    svg = _parse(_bars(bars=[Bar(str(v), v) for v in values], max_value=max_value))
    rects = svg.findall(f".//{SVG}rect")
    tracks, fills = rects[0::2], rects[1::2]
    span = float(tracks[0].get("width"))
    assert [round(float(r.get("width")) / span, 2) for r in fills] == widths


def test_text_and_links_are_escaped():
    markup = _bars(
        bars=[Bar('<script>alert("x")</script> & Co', 1, '/x?a=1&b="2"', text="<b>1</b>")]
    )

    assert "<script>" not in markup
    svg = _parse(markup)  # still well-formed XML
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts == ['<script>alert("x")</script> & Co', "<b>1</b>"]
    assert svg.find(f".//{SVG}a").get("href") == '/x?a=1&b="2"'


def test_a_long_label_is_shortened():
    svg = _parse(_bars(bars=[Bar("A" * 80, 1)]))
    assert next(svg.iter(f"{SVG}text")).text == "A" * 45 + "…"


def test_no_bars_means_no_chart():
    assert _bars(bars=[]) is None


def test_a_stacked_chart_splits_each_row_by_segment_with_a_legend():
    markup = stacked_bar_chart(
        chart_id="s",
        title="Signatures",
        description="Per chapter.",
        rows=[
            (
                "Copyright",
                [
                    Segment("signed", "Signed", 3, "/s?copyright=signed"),
                    Segment("unknown", "Unknown", 1),
                ],
            ),
            ("Transparency", [Segment("signed", "Signed", 0), Segment("unknown", "Unknown", 4)]),
        ],
        legend=[("signed", "Signed"), ("unknown", "Unknown")],
    )
    svg = _parse(markup)

    assert svg.get("aria-labelledby") == "s-title s-desc"
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts == ["Signed", "Unknown", "Copyright", "4", "Transparency", "4"]
    links = svg.findall(f".//{SVG}a")
    assert [(a.get("href"), a.get("aria-label")) for a in links] == [
        ("/s?copyright=signed", "Copyright, Signed: 3")
    ]
    segment = links[0].find(f"{SVG}rect")
    assert float(segment.get("width")) == pytest.approx((WIDTH - 56) * 3 / 4, abs=0.1)


def test_a_stacked_chart_of_zeros_is_no_chart():
    rows = [("Copyright", [Segment("signed", "Signed", 0)])]
    assert stacked_bar_chart(chart_id="s", title="t", description="d", rows=rows, legend=[]) is None
