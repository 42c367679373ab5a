"""Authenticated encryption for private free text (AES-256-GCM with a key ring).

A sealed value is text of the form ``tf1:<key id>:<nonce>:<ciphertext>`` (base64url
parts). The associated data binds a ciphertext to where it belongs (model, field and
row), so a value copied into another row or field fails to open instead of leaking.
Opening with a missing or wrong key raises :class:`DecryptionError`; it never returns
ciphertext in place of text.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = "tf1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A sealed value could not be opened (unknown key, tampering or wrong binding)."""


def _b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class KeyRing:
    """Keys by id; ``primary`` seals new values, every key can open old ones."""

    keys: dict[str, bytes]
    primary: str

    @classmethod
    def parse(cls, spec: str) -> KeyRing:
        """Parse ``"kid:base64key,kid2:base64key"``; the first key is the primary one."""
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for part in spec.split(","):
            part = part.strip()
            if not part:
                continue
            kid, sep, encoded = part.partition(":")
            if not sep or not kid.isalnum():
                raise ImproperlyConfigured(
                    "TWOFOLD_ENCRYPTION_KEYS entries look like 'kid:base64key' "
                    "with a letters-and-digits key id"
                )
            try:
                key = _b64d(encoded.strip())
            except (binascii.Error, ValueError):
                raise ImproperlyConfigured(f"Encryption key {kid!r} is not valid base64") from None
            if len(key) != 32:
                raise ImproperlyConfigured(f"Encryption key {kid!r} must be 32 bytes (AES-256)")
            if kid in keys:
                raise ImproperlyConfigured(f"Encryption key id {kid!r} appears twice")
            keys[kid] = key
            order.append(kid)
        if not order:
            raise ImproperlyConfigured("TWOFOLD_ENCRYPTION_KEYS holds no keys")
        return cls(keys=keys, primary=order[0])

    def seal(self, plaintext: str, associated_data: bytes) -> str:
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = AESGCM(self.keys[self.primary]).encrypt(
            nonce, plaintext.encode("utf-8"), associated_data
        )
        return f"{VERSION}:{self.primary}:{_b64e(nonce)}:{_b64e(ciphertext)}"

    def open(self, token: str, associated_data: bytes) -> str:
        _version, kid, nonce, ciphertext = split_token(token)
        key = self.keys.get(kid)
        if key is None:
            raise DecryptionError(f"no key with id {kid!r} in the key ring")
        try:
            plaintext = AESGCM(key).decrypt(_b64d(nonce), _b64d(ciphertext), associated_data)
        except (InvalidTag, binascii.Error, ValueError):
            raise DecryptionError("value does not open with its key and binding") from None
        return plaintext.decode("utf-8")


def split_token(token: str) -> tuple[str, str, str, str]:
    parts = token.split(":")
    if len(parts) != 4 or parts[0] != VERSION:
        raise DecryptionError("not a sealed value")
    return parts[0], parts[1], parts[2], parts[3]


def key_id_of(token: str) -> str:
    return split_token(token)[1]


@lru_cache(maxsize=4)
def _ring_for(spec: str) -> KeyRing:
    return KeyRing.parse(spec)


def key_ring() -> KeyRing:
    """The key ring from settings (cached per distinct setting value)."""
    return _ring_for(settings.TWOFOLD_ENCRYPTION_KEYS)


def seal(plaintext: str, associated_data: bytes) -> str:
    return key_ring().seal(plaintext, associated_data)


def open_sealed(token: str, associated_data: bytes) -> str:
    return key_ring().open(token, associated_data)


def generate_key() -> str:
    """A fresh random AES-256 key, base64url encoded."""
    return _b64e(os.urandom(32))
