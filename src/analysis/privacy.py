"""BSN handling: the 11-proef and the keyed pseudonym that replaces a BSN at ingest.

No BSN leaves the readers: they call :func:`pseudonymise` and keep only its result.
"""

from __future__ import annotations

import hashlib
import hmac


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
