"""BSN handling: the 11-proef, the keyed pseudonym that replaces a BSN at ingest, and which key may do that.

No BSN leaves the readers: they call :func:`pseudonymise` and keep only its result. The key is the
region's own secret (``choose_key``); only the generated demo may use the published demo key.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path


def is_valid_bsn(bsn: str) -> bool:
    """True when ``bsn`` is nine digits that pass the 11-proef.

    The weights are 9, 8, ..., 2 and -1 for the last digit; the sum must be a positive multiple of 11.

    >>> is_valid_bsn("111222333"), is_valid_bsn("123456789")
    (True, False)
    """
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(bsn, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total > 0 and total % 11 == 0


def pseudonymise(bsn: str, *, secret: str) -> str:
    """Keyed hash of a BSN: the first 16 hex digits of HMAC-SHA256(secret, bsn).

    The same BSN gives the same pseudonym under the same secret, so clients can be counted and
    followed across messages, but nobody without the secret can go back to the BSN.
    """
    return hmac.new(secret.encode(), bsn.encode(), hashlib.sha256).hexdigest()[:16]


# --- the pseudonymisation key ---------------------------------------------------------------------

SECRET_VARIABLE = "INKOOPMONITOR_SECRET"
#: The demo's key. It is published (in this file), so pseudonyms made with it protect nobody: with
#: it, anyone can hash every possible BSN (a billion, minutes with OpenSSL) and reverse them all.
DEMO_SECRET = "demo-secret-NOT-FOR-REAL-DATA"
PUBLISHED_SECRETS = frozenset({DEMO_SECRET})
MIN_SECRET_LENGTH = 32
#: Written by ``inkoopmonitor demo`` at the top of the folder it fills: only such a folder may be
#: built with the demo key. Remove it before real messages go into that folder.
DEMO_MARKER = "inkoopmonitor-demo.txt"
DEMO_KEY, OWN_SECRET = "demosleutel", "eigen geheim"
HOW_TO_SET = (f"set {SECRET_VARIABLE} to a random secret of at least {MIN_SECRET_LENGTH} characters, kept by "
              f"the region, e.g. `export {SECRET_VARIABLE}=$(python -c 'import secrets; print(secrets.token_hex(32))')`; "
              "the same secret must be used for every build, or the pseudonyms change")


class SecretRefused(ValueError):
    """The key may not pseudonymise this folder's BSNs."""


def is_demo(raw: Path) -> bool:
    """True when ``raw`` holds the demo writer's marker (a regular file, not a link)."""
    return (raw / DEMO_MARKER).is_file() and not (raw / DEMO_MARKER).is_symlink()


def choose_key(raw: Path, secret: str | None) -> tuple[str, str]:
    """(the key, its kind: ``DEMO_KEY`` or ``OWN_SECRET``) for building ``raw``; never logged or stored.

    The demo may use the demo key (the default there) or any other; real data needs an own secret of
    at least ``MIN_SECRET_LENGTH`` characters that is not published. Raises ``SecretRefused``.
    """
    if is_demo(raw):
        key = secret or DEMO_SECRET
        return key, DEMO_KEY if key in PUBLISHED_SECRETS else OWN_SECRET
    if not secret:
        problem = "no pseudonymisation secret was given" if secret is None else f"{SECRET_VARIABLE} is empty"
    elif secret in PUBLISHED_SECRETS:
        problem = "the secret is the published demo key"
    elif len(secret) < MIN_SECRET_LENGTH:
        problem = f"the secret has {len(secret)} characters, fewer than {MIN_SECRET_LENGTH}"
    else:
        return secret, OWN_SECRET
    raise SecretRefused(f"{raw} is not the demo ({DEMO_MARKER} is missing) and {problem}: {HOW_TO_SET}")
