"""Staff passwords: argon2id hashes (argon2-cffi), never the password itself."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
hasher = PasswordHasher()
# Checked when the username is unknown, so a wrong username takes as long as a wrong password.
UNKNOWN_USER_HASH = hasher.hash("no such user: this hash only keeps the timing the same")


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise ValueError(f"a staff password needs at least {MIN_LENGTH} characters")
    return hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's defaults."""
    return hasher.check_needs_rehash(stored_hash)
