"""The one place that reads environment variables.

Everything below the CLI receives settings as arguments; only this module looks at ``os.environ``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from analysis.privacy import SECRET_VARIABLE


@dataclass(frozen=True)
class Settings:
    #: ``INKOOPMONITOR_SECRET``, None when it is not set (``privacy.choose_key`` decides what that means)
    secret: str | None


def load() -> Settings:
    """Read the settings from the environment (``INKOOPMONITOR_SECRET``)."""
    return Settings(secret=os.environ.get(SECRET_VARIABLE))
