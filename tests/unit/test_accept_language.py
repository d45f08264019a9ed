"""The page language a browser asks for with Accept-Language, when no ?lang= or cookie chose one."""

from __future__ import annotations

import pytest

from tracker.i18n import best_language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("kk-KZ", "kk"),
        ("KK", "kk"),
        ("en-US;q=0.5, ru;q=0.7", "ru"),
        ("de-DE,de;q=0.9", "en"),
        ("de-DE,de;q=0.9,kk;q=0.2", "kk"),
        ("ru;q=0, kk;q=0.1", "kk"),
        ("ru;q=nonsense", "en"),
        ("", "en"),
        ("*", "en"),
    ],
)
def test_it_chooses_the_language_asked_for_most_that_the_site_speaks(header: str, language: str) -> None:
    assert best_language(header) == language
