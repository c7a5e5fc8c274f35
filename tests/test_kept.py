"""{% kept %}: base.html's and the week page's fixed fragments, kept once a process."""

import pytest
from django.template import Context, Template, TemplateSyntaxError

from journal.templatetags import journal as tags


@pytest.fixture(autouse=True)
def fresh():
    tags.KEPT.clear()
    yield
    tags.KEPT.clear()


class Counter:
    def __init__(self):
        self.calls = 0

    def __str__(self):
        self.calls += 1
        return f"render {self.calls}"


def test_a_fragment_is_rendered_once_for_the_same_values():
    counter = Counter()
    page = Template('{% kept "part" lang %}<p>{{ counter }}</p>{% endkept %}')
    first = page.render(Context({"counter": counter, "lang": "ja"}))
    again = page.render(Context({"counter": counter, "lang": "ja"}))
    assert first == again == "<p>render 1</p>"
    other = page.render(Context({"counter": counter, "lang": "en"}))
    assert other == "<p>render 2</p>"  # another language is another fragment


def test_two_names_never_share_a_fragment():
    a = Template('{% kept "a" %}A{% endkept %}').render(Context())
    b = Template('{% kept "b" %}B{% endkept %}').render(Context())
    assert (a, b) == ("A", "B")


def test_a_value_that_cannot_be_a_key_is_rendered_each_time():
    counter = Counter()
    page = Template('{% kept "part" items %}{{ counter }}{% endkept %}')
    for expected in ("render 1", "render 2"):
        assert page.render(Context({"counter": counter, "items": [1, 2]})) == expected
    assert not tags.KEPT


def test_it_starts_afresh_past_its_limit(monkeypatch):
    monkeypatch.setattr(tags, "KEPT_MAX", 3)
    page = Template('{% kept "day" day %}{{ day }}{% endkept %}')
    for day in range(5):
        assert page.render(Context({"day": day})) == str(day)
    assert len(tags.KEPT) <= 3


def test_what_it_keeps_stays_safe_html():
    page = Template('{% kept "safe" %}{{ text }}{% endkept %}')
    assert page.render(Context({"text": "<b>"})) == "&lt;b&gt;"
    assert page.render(Context({"text": "<i>"})) == "&lt;b&gt;"  # kept, not rendered again


@pytest.mark.parametrize("source", ["{% kept %}x{% endkept %}", "{% kept name %}x{% endkept %}"])
def test_the_name_must_be_quoted(source):
    with pytest.raises(TemplateSyntaxError, match="name in quotes"):
        Template(source)
