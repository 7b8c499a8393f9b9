"""Helpers for the browser tests: signing in, TOTP codes, overflow checks and screenshots."""

from __future__ import annotations

import hmac
import os
import struct
import time
from base64 import b32decode
from hashlib import sha1
from pathlib import Path

PASSWORD = "Rahasia-Uji-12345"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
# TERPADU_SHOTS=/tmp/terpadu-shots makes the page tour save full-page screenshots there.
SHOTS = os.environ.get("TERPADU_SHOTS", "")


def totp_code(secret: str, offset: int = 0, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits) for a base32 key, `offset` steps from now."""
    key = b32decode(secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8))
    counter = int((time.time() if at is None else at) // 30) + offset
    digest = hmac.new(key, struct.pack(">Q", counter), sha1).digest()
    start = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[start : start + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def sign_in(page, username: str, password: str = PASSWORD):
    page.goto("/akun/masuk/")
    page.get_by_label("Username or NIP").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def horizontal_overflow(page) -> dict:
    """The page's scroll width and the elements that stick out to the right (for the failure message)."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        const culprits = [];
        for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.right > width + 1 && box.width > 0 && !el.closest('.table-responsive *')) {
                const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/) : [];
                culprits.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                    classes.map(c => c ? '.' + c : '').join('') + ' right=' + Math.round(box.right));
            }
            if (culprits.length >= 8) break;
        }
        return {scrollWidth: document.documentElement.scrollWidth, culprits};
    }"""
    )


def shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def signed_in(page, user, url: str, verified: bool = True):
    """Give the browser a session of `user` (past 2FA when verified) without going through the form."""
    from conftest import login_as
    from django.conf import settings
    from django.test import Client

    client = login_as(Client(), user, verified=verified)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    return page
