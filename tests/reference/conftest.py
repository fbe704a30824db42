"""Fixtures for the reference tests: the public source files, when present (never at run time)."""

from pathlib import Path

import pytest

SHARED_REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"


@pytest.fixture(scope="session")
def shared_reference() -> Path:
    """../shared/reference, or skip: agreement tests need the official files, the product does not."""
    if not SHARED_REFERENCE.is_dir():
        pytest.skip(f"official reference files not found at {SHARED_REFERENCE}")
    return SHARED_REFERENCE
