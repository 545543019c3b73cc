"""DKL302-DKL304: findings whose fix would not be safe come without one."""

from __future__ import annotations

import pytest

from tests.rulecheck import check
from tests.rules.cache.test_dkl302_apt_update_in_separate_layer import UNMERGEABLE
from tests.rules.cache.test_dkl303_volatile_argument_before_expensive_layer import UNMOVABLE
from tests.rules.cache.test_dkl304_install_without_cache_mount import UNMOUNTABLE


@pytest.mark.parametrize(
    ("code", "text"),
    [("DKL302", t) for t in UNMERGEABLE]
    + [("DKL303", t) for t in UNMOVABLE]
    + [("DKL304", t) for t in UNMOUNTABLE],
)
def test_flagged_without_a_fix(code: str, text: str) -> None:
    found = check(code, text)
    assert found and all(not f.fixes for f in found)
