"""Passwords are stored as argon2id hashes at production cost (the test users' cheap hashes are the suite's own)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError

from tracker.passwords import hash_password, verify_password


@pytest.mark.anyio
async def test_a_new_password_is_hashed_with_argon2id_at_the_recommended_cost() -> None:
    stored = await hash_password("correct horse battery staple")

    # RFC 9106's second recommended option, argon2-cffi's default: 64 MiB, three passes, four lanes.
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert await verify_password(stored, "correct horse battery staple")
    assert not await verify_password(stored, "correct horse battery stapler")


@pytest.mark.anyio
async def test_a_hash_at_any_cost_is_verified_by_its_own_parameters() -> None:
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("correct horse battery staple")

    assert await verify_password(cheap, "correct horse battery staple")
    with pytest.raises(InvalidHashError):
        PasswordHasher().verify("not a hash", "x")
    assert not await verify_password("not a hash", "x")
