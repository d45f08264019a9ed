"""Password hashing (argon2) and the rules a new password must meet."""

from __future__ import annotations

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tracker.errors import InvalidInput

MIN_LENGTH = 12
_hasher = PasswordHasher()


def check_rules(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"password: must be at least {MIN_LENGTH} characters long", field="password")
    if password.strip() != password:
        raise InvalidInput("password: must not begin or end with spaces", field="password")
    if len(set(password)) < 5:
        raise InvalidInput("password: too repetitive; use at least five different characters", field="password")


async def hash_password(password: str) -> str:
    # argon2 is deliberately slow: keep it off the event loop.
    return await anyio.to_thread.run_sync(_hasher.hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    def verify() -> bool:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await anyio.to_thread.run_sync(verify)


# Verified against when the account does not exist, so both answers take the same time.
DUMMY_HASH = _hasher.hash("not a real password, only for equal timing")
