"""Task ids that prove service_1 issued them, so ``GET /tasks/<id>`` can answer 404
for any other id without storing every id it hands out.

An id looks like any UUID 4: 8 random bytes, then the first 8 bytes of an HMAC of
them (with the UUID's version and variant bits set). Checking one needs the key
only, no round trip to Redis: accepting a message stays one durable write (the
task), and a lookup of an id nobody issued never touches Redis.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid


def signing_key(secret: str) -> bytes:
    """The HMAC key, derived from a secret every service_1 process shares (the
    internal token), so an id issued by one gunicorn process checks in another."""
    return hashlib.sha256(b"hw4 task ids\0" + secret.encode()).digest()


def _signed(key: bytes, nonce: bytes) -> bytes:
    mac = bytearray(hmac.new(key, nonce, hashlib.sha256).digest()[:8])
    mac[0] = (mac[0] & 0x3F) | 0x80  # the UUID variant lives in these two bits
    return nonce + bytes(mac)


def new_task_id(key: bytes) -> str:
    nonce = bytearray(secrets.token_bytes(8))
    nonce[6] = (nonce[6] & 0x0F) | 0x40  # UUID version 4
    return str(uuid.UUID(bytes=_signed(key, bytes(nonce))))


def is_issued(key: bytes, task_id: str) -> bool:
    """True only for an id :func:`new_task_id` made with this key (in its canonical form)."""
    try:
        parsed = uuid.UUID(task_id)
    except ValueError:
        return False
    raw = parsed.bytes
    return str(parsed) == task_id and hmac.compare_digest(_signed(key, raw[:8]), raw)
