"""The fixture registry's names: the small shared pools (namesakes common, a stress test of
telling them apart) or surnames as distinct as registered Thai surnames are."""

from __future__ import annotations

import random

import pytest

from fixtures.scans.generate import make_persons, namesake_share
from fixtures.scans.people import REGISTERED_SURNAMES, SURNAMES
from ingest.understand.registry import Known, RegistryIndex


def test_registered_names_are_distinct_and_pools_are_not() -> None:
    pools = make_persons(random.Random("people"), 300)
    registered = make_persons(random.Random("people"), 300, names="registered")
    # THEN drawn from the pools, about one person in six shares a full name with another
    assert namesake_share(pools) > 0.10
    assert {p.last_name for p in pools} <= set(SURNAMES)
    # AND with registered surnames few do, yet some still do: namesakes are still met
    assert 0 < namesake_share(registered) < 0.08
    assert len({p.last_name for p in registered}) > 200
    assert {p.last_name for p in registered} <= set(REGISTERED_SURNAMES)
    # AND the pools' draw is the one every earlier figure was measured on: the default
    assert [p.citizen_id for p in make_persons(random.Random("people"), 300)] == \
        [p.citizen_id for p in pools]
    with pytest.raises(ValueError, match="unknown names"):
        make_persons(random.Random("people"), 3, names="common")


def test_the_registry_estimates_how_often_a_name_is_shared_by_chance() -> None:
    def index(persons: list) -> RegistryIndex:
        return RegistryIndex.build([Known(pk=i, citizen_id=p.citizen_id, prefix=p.prefix,
                                          first_name=p.first_name, last_name=p.last_name,
                                          unit=p.unit, birth=p.birth_date)
                                    for i, p in enumerate(persons)])
    pools = index(make_persons(random.Random("share"), 300))
    registered = index(make_persons(random.Random("share"), 300, names="registered"))
    # THEN the estimate follows the registry's own namesakes
    assert pools.namesake_share > 0.10 > 0.07 > registered.namesake_share
    # AND a registry of a few persons, none sharing a name, is not taken for one of distinct
    # names: the estimate stays near the prior
    few = index(make_persons(random.Random("share"), 4, names="registered"))
    assert few.namesake_share > 0.05
