"""Chinese labels of choices whatever language the page is in.

Choice labels are lazy translations (English pages show them in English); files of the
interchange formats, stored notes and messages written into the database must not change with
the language of whoever caused them, so they take the labels from here."""

from __future__ import annotations

from typing import Any

from django.db.models import Choices
from django.utils import translation

#: the language the interchange formats and stored texts are written in
ZH = "zh-hans"


def zh(label: Any) -> str:
    """One (lazy) label in Chinese."""
    with translation.override(ZH):
        return str(label)


def zh_choices(choices: type[Choices]) -> list[tuple[Any, str]]:
    """(value, Chinese label) of every member, in declaration order."""
    with translation.override(ZH):
        return [(value, str(label)) for value, label in choices.choices]


def zh_label(choices: type[Choices], value: Any) -> str:
    """The Chinese label of `value`, or the value itself when it is not one of `choices`."""
    return dict(zh_choices(choices)).get(value, str(value))
