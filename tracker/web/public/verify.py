"""The public check of an accreditation card: /verify, what the card's QR code opens."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter
from litestar.response import Template

from tracker import labels
from tracker.web.auth import PUBLIC_SITE
from tracker.web.deps import Badges
from tracker.web.http.caching import RATE_LIMITED, UNCACHED

# A check is counted each time and answers guesses: never cached, always under the rate limit.
VERIFY = {**PUBLIC_SITE, UNCACHED: True, RATE_LIMITED: True}


class VerifyPages(Controller):
    path = "/verify"
    include_in_schema = False
    opt = VERIFY

    @get("/")
    async def verify(
        self,
        badges: Badges,
        badge: Annotated[str | None, QueryParameter(max_length=64)] = None,
        sig: Annotated[str | None, QueryParameter(max_length=128)] = None,
        code: Annotated[str | None, QueryParameter(max_length=64)] = None,
    ) -> Template:
        """The form, or the answer for a badge number: scanned (with its signature) or typed (with its check code)."""
        verdict = None
        if badge and badge.strip():
            verdict = await badges.verify(badge, sig=sig, code=code)
        return Template(
            "public/verify.html",
            context={"verdict": verdict, "badge": badge or "", "code": code or "", "roles": labels.roles()},
            # An answer about one card, at this moment: no cache may keep it.
            headers={"Cache-Control": "no-store"},
        )
