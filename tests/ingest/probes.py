"""Jobs for the worker pool tests, in a module that imports nothing of heraldtui."""

from __future__ import annotations

import os
import sys


def loaded_modules() -> list[str]:
    return sorted(sys.modules)


def process_id() -> int:
    return os.getpid()


def die() -> None:
    os._exit(3)


def refuse(reason: str) -> None:
    raise ValueError(reason)
