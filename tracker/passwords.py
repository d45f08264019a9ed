"""Password hashing (argon2) and the rules a new password must meet.

A new password is at least 12 characters long and not a common one. Common is what zxcvbn (Dropbox's
estimator, in its maintained Python port) says can be guessed in fewer than 10^8 tries: it knows the
30,000 most used passwords of leaked lists, English words, names and surnames, keyboard walks,
sequences, repeats, dates and l33t spellings of all of them, and the user's own email and name.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from tracker.errors import InvalidInput
from tracker.i18n import gettext as _

MIN_LENGTH = 12
LEAST_SCORE = 3
"""zxcvbn's score 3: at least 10^8 guesses, "safely unguessable" online, and against a slow hash (argon2) offline."""
ESTIMATED_UP_TO = 72
"""zxcvbn's own limit (longer takes too long to estimate); a longer password is nobody's common one."""
_hasher = PasswordHasher()
# zxcvbn keeps the user's own words in a module-level dictionary while it estimates: one estimate at a time.
_estimating = threading.Lock()


def _guessable(password: str, own_words: Sequence[str]) -> bool:
    if len(password) > ESTIMATED_UP_TO:
        return False
    # zxcvbn matches whole words: an email and a name count by their parts too (nur, abenov, cec).
    words = {part for text in own_words for part in (text, *re.split(r"[\W_]+", text)) if len(part) >= 3}
    with _estimating:
        return int(zxcvbn(password, user_inputs=sorted(words))["score"]) < LEAST_SCORE


async def check_rules(password: str, *, field: str = "password", own_words: Sequence[str] = ()) -> None:
    """Refuse a new password that is too short or common (InvalidInput naming `field`). `own_words`: the
    account's email and name, which a password must not be made of."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"{field}: " + _("must be at least %(num)d characters long") % {"num": MIN_LENGTH}, field=field
        )
    if password.strip() != password:
        raise InvalidInput(f"{field}: " + _("must not begin or end with spaces"), field=field)
    # A few milliseconds, up to tens for the longest: off the event loop.
    if await anyio.to_thread.run_sync(_guessable, password, own_words):
        raise InvalidInput(
            f"{field}: " + _("too common or too easy to guess; try a few words that do not belong together"),
            field=field,
        )


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
