"""The Elasticsearch adapter: its request bodies always; a real server when one is given."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from search.base import IndexDocument, IndexedPerson, Scope, SearchQuery
from search.elastic import ElasticIndex
from search.elastic_bodies import (
    alias_actions,
    bulk_actions,
    document_body,
    index_template,
    search_body,
)
from search.normalize import plan_query

DOC = IndexDocument(
    document_id="d1", original_name="order.pdf", category="appointment",
    category_names="คำสั่งบรรจุและแต่งตั้ง", text="คำสั่ง ที่ ๑๒๓/๒๕๖๗ นางสาวสุภาพร ศรีสุข",
    persons=(IndexedPerson("1000000000017", "นางสาวสุภาพร ศรีสุข", "linked", "เขต 1 > โรงเรียน"),
             IndexedPerson("1000000000025", "นายสมชาย ใจดี", "candidate", "เขต 2")),
    order_refs=("123/2567",), document_date=date(2024, 5, 15), fingerprint="fp1",
)


def test_the_template_folds_thai_digits_and_sara_am_and_keeps_thai_marks() -> None:
    template = index_template("tabian-documents")
    assert template["index_patterns"] == ["tabian-documents-*"]
    analysis = template["template"]["settings"]["analysis"]
    fold = analysis["char_filter"]["tabian_fold"]["mappings"]
    assert "๐ => 0" in fold and "๙ => 9" in fold and "\u0e4d\u0e32 => \u0e33" in fold
    assert analysis["analyzer"]["tabian_thai"]["tokenizer"] == "thai"
    trigram = analysis["tokenizer"]["tabian_trigram"]
    # no token_chars: ["letter"], which would cut Thai words at every vowel and tone mark
    assert trigram == {"type": "ngram", "min_gram": 3, "max_gram": 3, "token_chars": []}
    text = template["template"]["mappings"]["properties"]["text"]
    assert text["analyzer"] == "tabian_thai"
    assert text["fields"]["ngram"]["analyzer"] == "tabian_ngram"
    json.dumps(template)  # sendable as it is


def test_a_document_body_names_linked_owners_only_in_its_fields() -> None:
    body = document_body(DOC, "คำสั่ง")
    assert body["names"] == ["นางสาวสุภาพร ศรีสุข"]
    assert body["citizen_ids"] == ["1000000000017", "1000000000025"]
    assert body["linked_ids"] == ["1000000000017"]
    assert body["unit_paths"] == ["เขต 1 > โรงเรียน"]
    assert body["identifiers"] == ["#1000000000017#", "#123#/#2567#"]
    assert body["document_date"] == "2024-05-15"


def test_bulk_actions_replace_whole_documents_and_delete_by_id() -> None:
    actions = bulk_actions("idx-1", [document_body(DOC, "")], ["gone"])
    assert actions[0]["_op_type"] == "index" and actions[0]["_id"] == "d1"
    assert actions[1] == {"_op_type": "delete", "_index": "idx-1", "_id": "gone"}


def test_the_alias_moves_in_one_update() -> None:
    assert alias_actions("a", ["a-1"], "a-2") == {"actions": [
        {"remove": {"index": "a-1", "alias": "a"}},
        {"add": {"index": "a-2", "alias": "a", "is_write_index": True}},
    ]}


def test_a_search_body_has_filters_scope_page_and_an_exact_total() -> None:
    query = SearchQuery("๑๒๓/๒๕๖๗", Scope(citizen_ids=frozenset({"1000000000017"})),
                        category="appointment", citizen_id="1000000000017", unit="เขต 1",
                        date_from=date(2024, 1, 1), limit=5, offset=10)
    body = search_body(query, plan_query(query.text), "123/2567")
    assert body["from"] == 10 and body["size"] == 5 and body["track_total_hits"] is True
    should = body["query"]["bool"]["should"]
    assert should[0] == {"terms": {"identifiers": ["#123#/#2567#"], "boost": 40}}
    filters = body["query"]["bool"]["filter"]
    assert {"term": {"category": "appointment"}} in filters
    assert {"term": {"citizen_ids": "1000000000017"}} in filters
    assert {"range": {"document_date": {"gte": "2024-01-01"}}} in filters
    unit = {"bool": {"should": [{"term": {"unit_paths": "เขต 1"}},
                                {"prefix": {"unit_paths": "เขต 1 > "}}],
                     "minimum_should_match": 1}}
    assert unit in filters
    scope = filters[-1]["bool"]["should"]
    assert {"terms": {"linked_ids": ["1000000000017"]}} in scope


def test_a_two_character_query_asks_for_trigram_prefixes() -> None:
    body = search_body(SearchQuery("ปู่", Scope.all_records()), plan_query("ปู่"), "ปู่")
    assert {"prefix": {"text.ngram": {"value": "ปู"}}} in body["query"]["bool"]["should"]


class FakeIndices:
    def __init__(self, log: list[tuple[str, Any]]) -> None:
        self.log = log
        self.aliases: dict[str, list[str]] = {}

    def put_index_template(self, **kw: Any) -> None:
        self.log.append(("template", kw["name"]))

    def exists_alias(self, name: str) -> bool:
        return name in self.aliases

    def create(self, index: str, aliases: dict[str, Any] | None = None) -> None:
        self.log.append(("create", index))
        for alias in aliases or {}:
            self.aliases.setdefault(alias, []).append(index)

    def refresh(self, index: str) -> None:
        self.log.append(("refresh", index))

    def get_alias(self, name: str, ignore_unavailable: bool) -> dict[str, Any]:
        return {i: {} for i in self.aliases.get(name, [])}

    def update_aliases(self, actions: list[dict[str, Any]]) -> None:
        self.log.append(("aliases", actions))

    def delete(self, index: str) -> None:
        self.log.append(("delete", index))


class FakeClient:
    def __init__(self) -> None:
        self.log: list[tuple[str, Any]] = []
        self.indices = FakeIndices(self.log)

    def close(self) -> None:
        pass


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeClient:
    client = FakeClient()

    def bulk(_client: Any, actions: list[dict[str, Any]], **kw: Any) -> None:
        client.log.append(("bulk", [(a["_op_type"], a["_index"], a["_id"]) for a in actions]))

    monkeypatch.setattr("elasticsearch.helpers.bulk", bulk)
    return client


def test_a_batch_reaches_the_server_only_when_it_commits(fake: FakeClient) -> None:
    index = ElasticIndex("http://es.invalid:9200", "docs", client=fake)
    index.open()
    assert index.created
    with pytest.raises(RuntimeError), index.batch() as batch:
        batch.upsert(DOC)
        raise RuntimeError("failed half-way")
    assert not [e for e in fake.log if e[0] == "bulk"]
    with index.batch() as batch:
        batch.upsert(DOC)
        batch.delete("old")
    assert ("bulk", [("index", "docs", "d1"), ("delete", "docs", "old")]) in fake.log


def test_a_rebuild_fills_a_new_index_then_swaps_the_alias(fake: FakeClient) -> None:
    index = ElasticIndex("http://es.invalid:9200", "docs", client=fake)
    index.open()
    first = next(e[1] for e in fake.log if e[0] == "create")
    assert index.rebuild([DOC]) == 1
    kinds = [e[0] for e in fake.log]
    assert kinds[-5:] == ["create", "bulk", "refresh", "aliases", "delete"]
    new = fake.log[-5][1]
    assert fake.log[-2][1] == alias_actions("docs", [first], new)["actions"]
    assert fake.log[-1] == ("delete", first)


ES_URL = os.environ.get("TABIAN_TEST_ELASTICSEARCH_URL")


@pytest.fixture
def live_index() -> Iterator[ElasticIndex]:
    if not ES_URL:
        pytest.skip("no Elasticsearch server here: set TABIAN_TEST_ELASTICSEARCH_URL to run "
                    "the adapter against one")
    index = ElasticIndex(ES_URL, f"tabian-test-{uuid.uuid4().hex[:8]}")
    index.open()
    yield index
    index.client.indices.delete(index=f"{index.alias}-*")
    index.client.indices.delete_index_template(name=index.template_name)
    index.close()


@pytest.mark.elasticsearch
def test_a_real_server_finds_thai_text(live_index: ElasticIndex) -> None:
    with live_index.batch() as batch:
        batch.upsert(DOC)
    everyone = Scope.all_records()
    for query in ("123/2567", "๑๒๓/๒๕๖๗", "สุภาพร ศรีสุข", "สุภาพรศรีสุข", "คำสั่ง"):
        result = live_index.search(SearchQuery(query, everyone))
        assert [h.document_id for h in result.hits] == ["d1"], query
    assert live_index.fingerprints() == {"d1": "fp1"}
    assert live_index.rebuild([]) == 0
    assert live_index.search(SearchQuery("คำสั่ง", everyone)).total == 0
