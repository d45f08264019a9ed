"""Passwords are stored as argon2id hashes at production cost (the test users' cheap hashes are the suite's own)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError

from tracker.errors import InvalidInput
from tracker.passwords import check_rules, hash_password, verify_password


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


@pytest.mark.anyio
@pytest.mark.parametrize(
    "password",
    ["password1234", "Password1234!", "qwertyuiop123", "iloveyou2024", "aaaaaaaaaaaaaaaa", "abenovabenov"],
)
async def test_a_common_or_easily_guessed_password_is_refused(password: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        await check_rules(password, field="new_password", own_words=("nur.abenov@cec.example", "Nur Abenov"))

    assert refused.value.field == "new_password"
    assert refused.value.message.startswith("new_password: too common or too easy to guess")


@pytest.mark.anyio
async def test_a_few_unrelated_words_and_a_very_long_password_are_accepted() -> None:
    await check_rules("plum violin harbour seventeen")
    await check_rules("x" * 60 + "a long tail of different words")
