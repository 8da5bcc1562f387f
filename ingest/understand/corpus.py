"""Fixture documents as texts: the training corpus and the held-out evaluation set."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from fixtures.scans.generate import make_persons
from fixtures.scans.people import Person
from fixtures.scans.spec import DocumentSpec
from fixtures.scans.templates import build_document, templates_for


@dataclass(frozen=True)
class Sample:
    """One generated document: what it says, and what understanding should find in it."""

    spec: DocumentSpec
    text: str  # ground truth, before OCR damage

    @property
    def category(self) -> str:
        return self.spec.category


def persons_for(seed: int, count: int) -> list[Person]:
    return make_persons(random.Random(f"corpus-persons:{seed}"), count)


# What the classifier trains on: the generator's train split and the extra training papers.
# Never "heldout", "fresh" or "fresh2": those measure it.
TRAINING_SPLITS = ("train", "train_extra")


def samples(split: str, *, per_template: int, seed: int,
            persons: list[Person] | None = None) -> Iterator[Sample]:
    """per_template documents of every template of the split, owners drawn from persons."""
    rng = random.Random(f"corpus:{split}:{seed}")
    people = persons if persons is not None else persons_for(seed, 60)
    for template in templates_for(split=split):
        owners = [p for p in people if template.applies(p)]
        for k in range(per_template):
            owner = rng.choice(owners)
            group = rng.randint(0, template.group) if template.group else 0
            others = rng.sample([p for p in people if p is not owner], k=group)
            spec = build_document(template, owner, others, seed=f"{seed}:{k}")
            yield Sample(spec, spec.text)
