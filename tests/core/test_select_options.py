"""The options tag: each choice escaped, only the current value selected."""

from core.templatetags.select_options import options

CHOICES = [("", "Any"), ("a<b", 'Tom & "Jerry"'), ("2", "<script>alert(1)</script>")]


def test_values_and_labels_are_escaped():
    html = options(CHOICES, None)
    assert "<script>" not in html
    assert '<option value="a&lt;b">Tom &amp; &quot;Jerry&quot;</option>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_only_the_current_value_is_selected():
    assert options(CHOICES, "2").count(" selected") == 1
    assert '<option value="2" selected>' in options(CHOICES, "2")
    assert '<option value="" selected>Any</option>' in options(CHOICES, None)


def test_a_number_selects_its_choice():
    # Bound fields give back what was submitted; model choices give numbers.
    assert '<option value="2" selected>' in options(CHOICES, 2)


def test_one_selection_does_not_stay_for_the_next():
    options(CHOICES, "2")
    assert " selected" not in options(CHOICES, "none of them")
