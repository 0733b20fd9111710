"""Statuses read as badges with words: the tone follows the code, the word is always there."""

from __future__ import annotations

from django.template import Context, Template

from needlepoint.site.templatetags.status_badges import status_class


def render(source: str, **context: object) -> str:
    return Template("{% load status_badges %}" + source).render(Context(context))


def test_a_status_is_a_word_in_a_badge_of_its_tone() -> None:
    html = render("{% status_badge status words %}", status="no_show", words="No-show")
    assert html == '<span class="badge badge-bad">No-show</span>'


def test_a_state_without_a_label_gets_its_own_words() -> None:
    assert render('{% status_badge "proposed" %}') == (
        '<span class="badge badge-info">Not booked yet</span>'
    )
    assert ">Awaiting co-signature<" in render('{% status_badge "awaiting_cosign" %}')


def test_an_unknown_code_is_a_neutral_badge_with_words_not_the_code() -> None:
    html = render('{% status_badge "some_new_state" %}')
    assert html == '<span class="badge">Some new state</span>'
    assert status_class("signed") == "badge badge-ok"


def test_words_are_escaped() -> None:
    assert "&lt;b&gt;" in render("{% status_badge 'booked' words %}", words="<b>")
