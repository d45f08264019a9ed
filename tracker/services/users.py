"""Staff accounts and signing in."""

from __future__ import annotations

import datetime as dt

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService

from tracker import models as m
from tracker.errors import Conflict, InvalidInput, NotFound
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
        check_rules(password)
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
        user.is_active = active
        await self.repository.session.flush()
        await record(self.repository.session, actor, "activate" if active else "deactivate", user)
        return user

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
