"""The one place that reads environment variables.

Everything below the CLI receives settings as arguments; only this module looks at ``os.environ``.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass

SECRET_VARIABLE = "INKOOPMONITOR_SECRET"
# Loud on purpose: a pseudonym keyed with a published secret protects nobody. Fine for the demo.
DEMO_SECRET = "demo-secret-NOT-FOR-REAL-DATA"


class DemoSecretWarning(UserWarning):
    """The pseudonymisation key is the published demo default."""


@dataclass(frozen=True)
class Settings:
    secret: str
    secret_is_demo: bool


def load() -> Settings:
    """Read the settings from the environment (``INKOOPMONITOR_SECRET``)."""
    secret = os.environ.get(SECRET_VARIABLE, "")
    if secret:
        return Settings(secret=secret, secret_is_demo=False)
    warnings.warn(
        f"{SECRET_VARIABLE} is not set: client pseudonyms use the published demo key. "
        "Set it to a long random secret before loading real messages.",
        DemoSecretWarning,
        stacklevel=2,
    )
    return Settings(secret=DEMO_SECRET, secret_is_demo=True)
