"""What a browser sends for a form on a page: its fields with the values the page filled in."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _FormReader(HTMLParser):
    def __init__(self, action: str | None) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = found.get("action") == self.action
        if not self.inside or ("name" not in found and tag != "option"):
            return
        if tag == "input" and found.get("type") not in {"checkbox", "radio", "file", "submit"}:
            self.fields[found["name"]] = found.get("value", "")
        elif tag == "input" and found.get("type") in {"checkbox", "radio"} and "checked" in found:
            self.fields.setdefault(found["name"], []).append(found.get("value", "on"))
        elif tag == "select":
            self.select = found["name"]
        elif tag == "option" and self.select and "selected" in found:
            self.fields[self.select] = found.get("value", "")
        elif tag == "textarea":
            self.textarea = found["name"]
            self.fields[self.textarea] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.fields[self.textarea] += data


def form_fields(html: str, action: str | None = None) -> dict[str, Any]:
    """The fields of the form posting to `action` (by default the page's own form, which has none), as the page
    filled them in: its CSRF token included."""
    reader = _FormReader(action)
    reader.feed(html)
    assert reader.fields, f"no form posts to {action}"
    return reader.fields
