"""Staff accounts and signing in."""

from __future__ import annotations

import datetime as dt

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import delete, func, select

from tracker import models as m
from tracker.errors import Conflict, InvalidInput, TooManyAttempts
from tracker.instants import utc_now
from tracker.passwords import DUMMY_HASH, check_rules, hash_password, verify_password
from tracker.services.audit import Actor, record

WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


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

    async def all_users(self) -> list[m.User]:
        return list(await self.get_many(order_by=[(m.User.email, False)]))

    async def set_active(self, user: m.User, active: bool, actor: Actor) -> m.User:
        user.is_active = active
        await self.repository.session.flush()
        await record(self.repository.session, actor, "activate" if active else "deactivate", user)
        return user

    async def authenticate(self, email: str, password: str, address: str) -> m.User | None:
        """The user, if the password is right; None otherwise. Refuses after repeated failures."""
        session = self.repository.session
        email = email.strip().lower()
        now = utc_now()
        since = now - WINDOW
        await session.execute(delete(m.SignInAttempt).where(m.SignInAttempt.at < since))
        by_account = await session.scalar(
            select(func.count()).where(m.SignInAttempt.email == email, m.SignInAttempt.at >= since)
        )
        by_address = await session.scalar(
            select(func.count()).where(m.SignInAttempt.address == address, m.SignInAttempt.at >= since)
        )
        if (by_account or 0) >= MAX_FAILURES_PER_ACCOUNT or (by_address or 0) >= MAX_FAILURES_PER_ADDRESS:
            raise TooManyAttempts("Too many failed sign-ins; try again in 15 minutes.")
        user = await self.get_one_or_none(email=email)
        valid = await verify_password(user.password_hash if user else DUMMY_HASH, password)
        if user is None or not valid or not user.is_active:
            session.add(m.SignInAttempt(email=email, address=address, at=now))
            # Kept even though the request fails (a failed request's writes are rolled back).
            await session.commit()
            return None
        return user
