"""Error pages speak the visitor's language, keep the layout of the part of the site they were on, offer a way
back and name no internals; the API's errors stay JSON."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient

HTML = {"accept": "text/html"}


def test_a_missing_public_page_says_so_in_kazakh_with_a_way_home(client: TestClient[Litestar]) -> None:
    page = client.get("/no-such-page?lang=kk", headers=HTML)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Бет табылмады" in page.text
    assert 'href="/"' in page.text
    assert "Басты бетке оралу" in page.text
    assert "Page not found" not in page.text


def test_a_missing_page_follows_the_browser_language(client: TestClient[Litestar]) -> None:
    page = client.get("/elections/no-such-election", headers={**HTML, "accept-language": "ru-RU,ru;q=0.9"})
    assert page.status_code == 404
    assert "Страница не найдена" in page.text
    assert "unknown" not in page.text


def test_a_staff_page_for_other_roles_names_them_in_words_in_the_staff_layout(as_pat: TestClient[Litestar]) -> None:
    for lang, needed, own in (("ru", "администратор", "пресс-секретарь"), ("kk", "әкімші", "баспасөз хатшысы")):
        page = as_pat.get(f"/staff/audit?lang={lang}", headers=HTML)
        assert page.status_code == 403
        assert needed in page.text
        assert own in page.text
        assert "press_officer" not in page.text
        assert "admin)" not in page.text
        # The staff layout: who is signed in, the way to sign out, and back to the staff pages.
        assert "pat@" in page.text
        assert "/staff/sign-out" in page.text
        assert 'href="/staff"' in page.text


def test_a_missing_staff_record_keeps_the_staff_layout(as_pat: TestClient[Litestar]) -> None:
    page = as_pat.get("/staff/elections/no-such-election/missions?lang=ru", headers=HTML)
    assert page.status_code == 404
    assert "Страница не найдена" in page.text
    assert "/staff/sign-out" in page.text


def test_the_api_answers_errors_in_json(client: TestClient[Litestar]) -> None:
    answer = client.get("/api/elections/no-such-election?lang=kk", headers=HTML)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json()["status_code"] == 404
