"""The story tests' shared fixture: the grouping fixture set, grouped once per module."""

from __future__ import annotations

import pytest

from heraldtui.core.models import Story
from heraldtui.core.stories.grouper import group_articles
from tests.stories.grouping_set import ARTICLES


@pytest.fixture(scope="module")
def stories() -> list[Story]:
    return group_articles(ARTICLES)
