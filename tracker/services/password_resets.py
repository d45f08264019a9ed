"""One-time links to set a password, which an admin makes for a user who cannot sign in.

A link is `…/staff/password-reset?token=SELECTOR.SECRET`, both parts from `secrets`: the selector finds the
row, the secret is compared with the SHA-256 kept there in constant time, so that neither the table nor the
time an answer takes gives a link away. A link works once, for 24 hours; a new one for the same account
ends the one before. Every look at a link is counted against its address with the failed sign-ins
(`SignInLimits.reserve_address`) and given back when the link was genuine, so guessing links is bounded as
guessing passwords is. The token sits in the query string, which the access log leaves out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.errors import InvalidInput, TrackerError
from tracker.i18n import gettext as _
from tracker.instants import utc_now
from tracker.passwords import check_rules
from tracker.services.audit import Actor, record
from tracker.services.sign_in_limits import SignInLimits
from tracker.services.users import UserService

VALID_FOR = dt.timedelta(hours=24)
PATH = "/staff/password-reset"
_SELECTOR_BYTES = 12
_SECRET_BYTES = 32


class LinkRefused(TrackerError):
    """A link that cannot be used: `unknown` (mistyped, or replaced by a newer one), `used` or `expired`."""

    def __init__(self, reason: Literal["unknown", "used", "expired"]) -> None:
        messages = {
            "unknown": _("This link is not valid. Copy the whole link, or ask an admin for a new one."),
            "used": _("This link has already been used. Ask an admin for a new one if you need it."),
            "expired": _("This link has expired: links work for 24 hours. Ask an admin for a new one."),
        }
        super().__init__(f"token: {messages[reason]}", field="token")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ResetLink:
    url: str
    expires_at: dt.datetime
    user: m.User


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class PasswordResets:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def issue(self, user: m.User, actor: Actor, public_url: str) -> ResetLink:
        """A new link for `user`, valid 24 hours; any earlier link of theirs stops working."""
        if not user.is_active:
            raise InvalidInput("user: " + _("the account is disabled; enable it first"), field="user")
        now = utc_now()
        await self.session.execute(
            delete(m.PasswordReset).where(m.PasswordReset.user_id == user.id, m.PasswordReset.used_at.is_(None))
        )
        selector, secret = secrets.token_urlsafe(_SELECTOR_BYTES), secrets.token_urlsafe(_SECRET_BYTES)
        link = m.PasswordReset(
            user_id=user.id,
            selector=selector,
            secret_sha256=_sha256(secret),
            made_by=actor.name,
            made_at=now,
            expires_at=now + VALID_FOR,
        )
        self.session.add(link)
        await self.session.flush()
        # The trail says that a link was made and until when, never the link.
        await record(
            self.session, actor, "password_reset_link", user, after={"expires_at": link.expires_at.isoformat()}
        )
        return ResetLink(f"{public_url}{PATH}?token={selector}.{secret}", link.expires_at, user)

    async def open(self, token: str, address: str) -> tuple[m.PasswordReset, m.User]:
        """The link and its account, if it can be used now; LinkRefused otherwise, TooManyAttempts when this
        address may not try another now."""
        selector, _dot, secret = token.strip().partition(".")
        if not selector or not secret or len(token) > 200:
            raise LinkRefused("unknown")
        limits = SignInLimits(self.session)
        reservation = await limits.reserve_address(address, utc_now())
        link = await self.session.scalar(select(m.PasswordReset).where(m.PasswordReset.selector == selector))
        # The hash of what was sent is compared even without a row, so both answers take the same time.
        expected = link.secret_sha256 if link else _sha256("no such link")
        if not hmac.compare_digest(expected, _sha256(secret)) or link is None:
            raise LinkRefused("unknown")
        await limits.give_back(reservation)
        user = await self.session.get(m.User, link.user_id)
        if link.used_at is not None:
            raise LinkRefused("used")
        if utc_now() >= link.expires_at:
            raise LinkRefused("expired")
        if user is None or not user.is_active:
            raise LinkRefused("unknown")
        return link, user

    async def use(self, link: m.PasswordReset, user: m.User, password: str) -> None:
        """Set the account's new password through a link `open` gave, once: the link is spent and every session
        of the account ends."""
        await check_rules(password, field="new_password", own_words=(user.email, user.name))
        # Spent only if nobody spent it meanwhile: of two uses at once, one sets the password.
        spent = await self.session.execute(
            update(m.PasswordReset)
            .where(m.PasswordReset.id == link.id, m.PasswordReset.used_at.is_(None))
            .values(used_at=utc_now())
        )
        if spent.rowcount != 1:  # type: ignore[attr-defined]
            raise LinkRefused("used")
        await UserService(session=self.session).set_password(
            user, password, Actor(user.email, user.role), "reset_password"
        )
