"""Staff accounts and signing in."""

from __future__ import annotations

import datetime as dt

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService

from tracker import models as m
from tracker.errors import Conflict, InvalidInput, NotFound
from tracker.i18n import gettext as _
from tracker.instants import utc_now
from tracker.passwords import DUMMY_HASH, check_rules, hash_password, verify_password
from tracker.services.audit import Actor, record
from tracker.services.sign_in_limits import SignInLimits


def normalize_email(email: str) -> str:
    cleaned = email.strip().lower()
    local, _, domain = cleaned.partition("@")
    if not local or "." not in domain or " " in cleaned or len(cleaned) > 255:
        raise InvalidInput(f"email: {email!r} is not an email address", field="email")
    return cleaned


class UserService(SQLAlchemyAsyncRepositoryService[m.User]):
    class Repo(SQLAlchemyAsyncRepository[m.User]):
        model_type = m.User

    repository_type = Repo

    async def create_user(self, email: str, password: str, role: m.UserRole, actor: Actor, *, name: str = "") -> m.User:
        address = normalize_email(email)
        await check_rules(password, own_words=(address, name))
        if await self.get_one_or_none(email=address):
            raise Conflict(f"email: a user {address} already exists", field="email")
        user = m.User(email=address, name=name.strip(), role=role, password_hash=await hash_password(password))
        self.repository.session.add(user)
        await self.repository.session.flush()
        await record(self.repository.session, actor, "create", user)
        return user

    async def by_id(self, user_id: int) -> m.User:
        user = await self.get_one_or_none(id=user_id)
        if user is None:
            raise NotFound("user", user_id)
        return user

    async def still_signed_in(self, user_id: int, version: object) -> m.User | None:
        """The user a session names, if it is still good: the account active and unchanged since the session
        began (a new role or password signs its sessions out)."""
        user = await self.repository.session.get(m.User, user_id)
        if user is None or not user.is_active or user.version != version:
            return None
        return user

    async def all_users(self) -> list[m.User]:
        return list(await self.get_many(order_by=[(m.User.email, False)]))

    async def set_active(self, user: m.User, active: bool, actor: Actor) -> m.User:
        """Disable or enable an account. Disabling signs it out at once: `still_signed_in` asks on every request,
        whichever worker answers it."""
        _not_one_self(user, actor, "active")
        if user.is_active != active:
            user.is_active = active
            await self.repository.session.flush()
            action = "activate" if active else "deactivate"
            await record(
                self.repository.session,
                actor,
                action,
                user,
                before={"is_active": not active},
                after={"is_active": active},
            )
        return user

    async def set_role(self, user: m.User, role: m.UserRole, actor: Actor) -> m.User:
        """A new role; the account's sessions end (its version moves), so it signs in again under the new one."""
        _not_one_self(user, actor, "role")
        if user.role != role:
            before = user.role
            user.role = role
            await self.repository.session.flush()
            await record(
                self.repository.session,
                actor,
                "update",
                user,
                before={"role": before.value},
                after={"role": role.value},
            )
        return user

    async def change_password(
        self, user_id: int, current: str, new: str, address: str, *, device: str | None = None
    ) -> m.User:
        """The signed-in user's own password, the current one given. The current one is checked as a sign-in
        is, against the same limits (TooManyAttempts), so a session left open is no way to guess it. Every
        session of the account ends; the caller signs this one in again."""
        user = await self.by_id(user_id)
        await check_rules(new, field="new_password", own_words=(user.email, user.name))
        if await self.authenticate(user.email, current, address, device=device) is None:
            raise InvalidInput("current_password: " + _("this is not your current password"), field="current_password")
        await self.set_password(user, new, Actor(user.email, user.role), "change_password")
        return user

    async def set_password(self, user: m.User, password: str, actor: Actor, action: str) -> None:
        """Store a new password (checked by the caller) and record that it changed, never what it is."""
        user.password_hash = await hash_password(password)
        await self.repository.session.flush()
        await record(self.repository.session, actor, action, user, after={})

    async def authenticate(
        self, email: str, password: str, address: str, *, device: str | None = None, now: dt.datetime | None = None
    ) -> m.User | None:
        """The user, if the password is right; None otherwise. TooManyAttempts when the attempt may not be
        made (`tracker.services.sign_in_limits`). `device`: the nonce of the browser's device cookie, when
        it was signed for this account."""
        limits = SignInLimits(self.repository.session)
        reservation = await limits.reserve(email, address, device, now or utc_now())
        user = await self.get_one_or_none(email=email.strip().lower())
        valid = await verify_password(user.password_hash if user else DUMMY_HASH, password)
        if user is None or not valid or not user.is_active:
            return None
        await limits.give_back(reservation)
        return user


def _not_one_self(user: m.User, actor: Actor, field: str) -> None:
    # An admin who disabled or demoted themselves could leave nobody to undo it.
    if user.email == actor.name:
        raise InvalidInput(f"{field}: " + _("you cannot change your own account here; ask another admin"), field=field)
