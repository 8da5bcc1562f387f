"""Understanding on the fresh splits (templates written after the classifier, never trained
on): group orders reach every person, misfiled papers never reach the folder's person."""

from __future__ import annotations

import random

import pytest

from archive import registry
from archive.catalog import Catalog
from fixtures.scans.generate import make_persons, write_persons_csv
from fixtures.scans.people import Person
from fixtures.scans.templates import CATEGORIES, build_document, templates_for
from ingest.understand import load_classifier, understand
from ingest.understand.corpus import TRAINING_SPLITS

FRESH = ("fresh", "fresh2", "fresh3", "fresh4", "fresh5")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalog, list[Person]]:
    """A registry of 24 made-up persons in a throwaway catalog."""
    tmp = tmp_path_factory.mktemp("fresh")
    persons = make_persons(random.Random("fresh-tests"), 24)
    write_persons_csv(tmp / "persons.csv", persons)
    catalog = Catalog(f"sqlite:///{tmp / 'catalog.sqlite3'}")
    catalog.migrate()
    with catalog.session() as s:
        registry.import_persons(s, tmp / "persons.csv")
    return catalog, persons


def test_fresh_splits_cover_every_category_and_never_train() -> None:
    for split in FRESH:
        assert {t.category for t in templates_for(split=split)} == set(CATEGORIES)
        assert split not in TRAINING_SPLITS
    trained = {t.variant for s in TRAINING_SPLITS for t in templates_for(split=s)}
    assert not trained & {t.variant for s in FRESH for t in templates_for(split=s)}


@pytest.mark.parametrize("split", FRESH)
def test_fresh_group_orders_link_every_person_they_list(
        split: str, world: tuple[Catalog, list[Person]]) -> None:
    # GIVEN every fresh template that lists several persons with their IDs, as printed
    catalog, persons = world
    groups = [t for t in templates_for(split=split) if t.group]
    checked = 0
    with catalog.session() as s:
        for k, template in enumerate(groups):
            owner = persons[k]
            others = [p for p in persons if p is not owner][k:k + template.group]
            spec = build_document(template, owner, others, seed=k)
            u = understand(s, spec.text, folder_hint=owner.citizen_id,
                           classifier=load_classifier())
            if set(spec.persons) <= set(spec.ids_printed):
                # THEN a paper that prints everyone's ID is filed to every one of them
                assert u.link == "linked", (template.variant, u.review_reasons)
                assert sorted(u.citizen_ids) == sorted(spec.persons), template.variant
                checked += 1
            else:
                # AND one that does not is never filed to anyone it does not list
                assert set(u.citizen_ids) <= set(spec.persons), template.variant
    assert checked >= 2


@pytest.mark.parametrize("split", FRESH)
def test_fresh_misfiled_papers_are_not_filed_to_the_folders_person(
        split: str, world: tuple[Catalog, list[Person]]) -> None:
    # GIVEN every fresh one-person template, its paper put in someone else's folder
    catalog, persons = world
    with catalog.session() as s:
        for k, template in enumerate(templates_for(split=split)):
            if template.group:
                continue
            owner = next(p for p in persons[k % 12:] if template.applies(p))
            folder = persons[-1 - k % 6]
            spec = build_document(template, owner, [], seed=k)
            u = understand(s, spec.text, folder_hint=folder.citizen_id,
                           classifier=load_classifier())
            # THEN it is never filed to the folder's person: it waits for a person
            assert u.link != "linked", (template.variant, u.citizen_ids)
            assert folder.citizen_id not in u.citizen_ids or u.link == "needs_review"
