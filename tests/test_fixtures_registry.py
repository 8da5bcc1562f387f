"""The registry generator: deterministic, valid, and covering every status a registry holds."""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from archive.thai import ThaiTextError, parse_citizen_id, parse_date_field, parse_order_ref
from fixtures.registry import (
    DEFAULT_AS_OF,
    ENTRIES_HEADER,
    LEFT_REASONS,
    PERSONS_HEADER,
    SECTIONS,
    STATUSES,
    PersonRow,
    bad_person_rows,
    generate_entries,
    generate_persons,
    iter_persons,
    main,
    retirement_date,
    write_entries_csv,
    write_persons_csv,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "fixtures" / "sample"


@pytest.fixture(scope="module")
def persons() -> list[PersonRow]:
    return generate_persons(2000, seed=7)


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def test_the_same_seed_writes_byte_identical_files(tmp_path: Path) -> None:
    # GIVEN two runs of the command with the same seed
    for name in ("a", "b"):
        assert main(["--persons", "300", "--seed", "5", "--out", str(tmp_path / name)]) == 0
    # WHEN their files are compared
    # THEN they are byte for byte the same
    for csv_name in ("persons.csv", "entries.csv"):
        assert (tmp_path / "a" / csv_name).read_bytes() == (tmp_path / "b" / csv_name).read_bytes()


def test_a_different_seed_gives_a_different_registry() -> None:
    assert generate_persons(50, seed=1) != generate_persons(50, seed=2)


def test_the_committed_sample_is_what_the_command_writes(tmp_path: Path) -> None:
    # GIVEN the sample in fixtures/sample, made with `--persons 40 --seed 0`
    # WHEN the module is run the same way
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "fixtures.registry",
            "--persons",
            "40",
            "--seed",
            "0",
            "--out",
            str(tmp_path),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    # THEN it succeeds and writes the same bytes (regenerate the sample if the generator changed)
    assert result.returncode == 0, result.stderr
    for name in ("persons.csv", "entries.csv"):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_the_sample_has_every_status_and_every_left_reason() -> None:
    with (SAMPLE / "persons.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert 35 <= len(rows) <= 45
    assert {r["status"] for r in rows} == set(STATUSES)
    assert {r["left_reason"] for r in rows if r["left_reason"]} == set(LEFT_REASONS)


def test_every_citizen_id_is_valid_and_unique(persons: list) -> None:
    ids = [parse_citizen_id(p.citizen_id) for p in persons]
    assert ids == [p.true_citizen_id for p in persons]
    assert len(set(ids)) == len(ids)
    assert {cid[0] for cid in ids} <= set("12345678")


def test_citizen_ids_are_written_in_mixed_forms_unless_plain(persons: list) -> None:
    written = [p.citizen_id for p in persons]
    assert any("-" in w for w in written)
    assert any(w[0] in "๑๒๓๔๕๖๗๘" for w in written)
    plain = generate_persons(200, seed=7, mixed_formats=False)
    assert all(p.citizen_id == p.true_citizen_id for p in plain)
    assert all(p.birth_date == p.true_birth_date.isoformat() for p in plain)


def test_every_status_and_left_reason_is_present_even_in_a_small_registry() -> None:
    small = generate_persons(12, seed=3)
    assert {p.status for p in small} == set(STATUSES)
    assert {p.left_reason for p in small if p.left_reason} == set(LEFT_REASONS)


def test_every_date_parses_to_what_it_means(persons: list) -> None:
    for p in persons:
        assert parse_date_field(p.birth_date) == p.true_birth_date
        assert parse_date_field(p.appointed_on) == p.true_appointed_on
        if p.left_service_on:
            assert parse_date_field(p.left_service_on) == p.true_left_service_on
    forms = Counter(
        "iso" if "-" in p.birth_date else "thai" if p.birth_date[0] in "๐๑๒๓๔๕๖๗๘๙" else "be"
        for p in persons
    )
    assert set(forms) == {"iso", "thai", "be"}


def test_left_service_date_and_reason_only_with_left_service(persons: list) -> None:
    for p in persons:
        left = p.status == "left_service"
        assert bool(p.left_reason) == left, p
        assert bool(p.left_service_on) == left, p
        assert p.left_reason in (*LEFT_REASONS, "")


def test_life_dates_are_consistent(persons: list) -> None:
    for p in persons:
        # appointed at 22 or later, and not after leaving or the as-of day
        assert p.true_appointed_on >= _add_years(p.true_birth_date, 22), p
        assert p.true_appointed_on <= (p.true_left_service_on or DEFAULT_AS_OF), p
        if p.status == "left_service":
            assert p.true_left_service_on <= DEFAULT_AS_OF
        else:  # still employed: aged 22-59, so not past retirement
            assert _add_years(p.true_birth_date, 22) <= DEFAULT_AS_OF
            assert _add_years(p.true_birth_date, 60) > DEFAULT_AS_OF
        if p.left_reason == "retired":
            assert p.true_left_service_on == retirement_date(p.true_birth_date)


def test_some_left_service_more_than_ten_years_ago(persons: list) -> None:
    line = _add_years(DEFAULT_AS_OF, -10)
    left = [p for p in persons if p.status == "left_service"]
    assert any(p.true_left_service_on < line for p in left)
    assert any(p.true_left_service_on > line for p in left)


def test_retirement_date_follows_the_fiscal_year_rule() -> None:
    # The handbook's examples (clause 3.2.10)
    assert retirement_date(date(1987, 3, 27)) == date(2047, 9, 30)
    assert retirement_date(date(1987, 10, 1)) == date(2047, 9, 30)
    assert retirement_date(date(1987, 10, 2)) == date(2048, 9, 30)


def test_prefixes_match_gender_and_names_are_thai(persons: list) -> None:
    male_only, female_only = {"นาย", "ว่าที่ร้อยตรี"}, {"นาง", "นางสาว", "ว่าที่ร้อยตรีหญิง"}
    for p in persons:
        assert p.prefix not in (female_only if p.true_sex == "male" else male_only)
        assert p.first_name and p.last_name and " > " in p.unit
    assert len({p.first_name for p in persons}) > 120
    assert len({p.last_name for p in persons}) > 180


def test_entries_are_valid_and_follow_each_person(persons: list) -> None:
    # GIVEN entries for the persons
    entries = generate_entries(persons, seed=7)
    by_id = {p.true_citizen_id: p for p in persons}
    # THEN ids are sequential, sections from the contract, refs and dates readable
    assert [e.entry_id for e in entries[:3]] == ["E000001", "E000002", "E000003"]
    assert len({e.entry_id for e in entries}) == len(entries)
    for e in entries:
        person = by_id[parse_citizen_id(e.citizen_id)]
        assert e.section in SECTIONS
        assert parse_date_field(e.effective_on) == e.true_effective_on
        ref = parse_order_ref(e.order_ref)
        assert ref == e.true_order_ref
        assert ref.year_be == e.true_effective_on.year + 543
        assert person.true_appointed_on <= e.true_effective_on
        assert e.true_effective_on <= (person.true_left_service_on or DEFAULT_AS_OF)
        assert e.title
    sections = Counter(e.section for e in entries)
    assert sections.most_common(1)[0][0] == "position_salary"
    assert set(sections) == set(SECTIONS)
    counts = Counter(e.true_citizen_id for e in entries)
    assert set(counts.values()) <= {1, 2, 3, 4}


def test_written_csv_files_have_the_contract_headers(tmp_path: Path, persons: list) -> None:
    # GIVEN persons and entries written to CSV
    n_persons = write_persons_csv(persons[:20], tmp_path / "persons.csv")
    n_entries = write_entries_csv(generate_entries(persons[:20]), tmp_path / "entries.csv")
    # WHEN read back with the csv module
    with (tmp_path / "persons.csv").open(encoding="utf-8", newline="") as f:
        person_rows = list(csv.reader(f))
    with (tmp_path / "entries.csv").open(encoding="utf-8", newline="") as f:
        entry_rows = list(csv.reader(f))
    # THEN the headers are the contract's and every row is complete
    assert tuple(person_rows[0]) == PERSONS_HEADER
    assert tuple(entry_rows[0]) == ENTRIES_HEADER
    assert len(person_rows) == n_persons + 1 and len(entry_rows) == n_entries + 1
    assert all(len(r) == len(PERSONS_HEADER) for r in person_rows)
    assert all(len(r) == len(ENTRIES_HEADER) for r in entry_rows)


def test_bad_person_rows_each_fail_for_their_own_reason() -> None:
    rows = {r.case: next(csv.reader([r.line])) for r in bad_person_rows()}
    header = list(PERSONS_HEADER)
    valid = dict(zip(header, rows["valid"], strict=True))
    parse_citizen_id(valid["citizen_id"])
    assert {
        "wrong_check_digit",
        "unknown_status",
        "bad_date",
        "impossible_date",
        "missing_column",
        "left_reason_without_left_service",
        "duplicate_citizen_id",
    } <= set(rows)
    with pytest.raises(ThaiTextError, match="check digit"):
        parse_citizen_id(rows["wrong_check_digit"][0])
    assert rows["unknown_status"][7] not in STATUSES
    with pytest.raises(ThaiTextError, match="cannot read"):
        parse_date_field(rows["bad_date"][4])
    with pytest.raises(ThaiTextError, match="not a real date"):
        parse_date_field(rows["impossible_date"][5])
    lonely = rows["left_reason_without_left_service"]
    assert lonely[7] != "left_service" and lonely[9] in LEFT_REASONS
    assert parse_citizen_id(rows["duplicate_citizen_id"][0]) == valid["citizen_id"]
    assert rows["duplicate_citizen_id"][0] != valid["citizen_id"]
    assert len(rows["missing_column"]) == len(header) - 1
    # every bad row other than the duplicate carries its own valid citizen ID
    own_ids = [
        parse_citizen_id(r[0])
        for case, r in rows.items()
        if case
        not in {"valid", "duplicate_citizen_id", "wrong_check_digit", "wrong_length_citizen_id"}
    ]
    assert len(set(own_ids)) == len(own_ids) and valid["citizen_id"] not in own_ids


def test_ten_thousand_persons_generate_quickly() -> None:
    start = time.perf_counter()
    rows = generate_persons(10_000, seed=11)
    elapsed = time.perf_counter() - start
    assert len(rows) == 10_000
    assert elapsed < 2.0, f"took {elapsed:.2f}s"


def test_iter_persons_streams_the_same_rows_as_generate_persons() -> None:
    assert list(iter_persons(100, seed=4)) == generate_persons(100, seed=4)
