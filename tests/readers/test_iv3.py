"""Iv3 delivery JSON: exact cents from EUR 1,000, bad items as rejects, bad deliveries unreadable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.readers import FileUnreadable
from analysis.readers.iv3 import read_iv3

FIXTURE = Path(__file__).parents[1] / "fixtures" / "tables" / "iv3_gm0361_2024_begroting.json"
METADATA = {"overheidslaag": "Gemeente", "overheidsnummer": "361", "boekjaar": 2023, "status": "Realisatie"}


def delivery(tmp_path: Path, lasten_json: str, **metadata) -> Path:
    """An Iv3 file whose lasten are given as JSON text (so that numbers stay exactly as written)."""
    meta = json.dumps({**METADATA, **metadata})
    path = tmp_path / "iv3.json"
    path.write_text(f'{{"metadata": {meta}, "data": {{"lasten": {lasten_json}}}}}', encoding="utf-8")
    return path


def test_fixture_delivery_exact_cents():
    result = read_iv3(FIXTURE)
    begroting = result.tables["begroting"]

    assert result.kind == "iv3" and result.rejects == []
    assert list(begroting.columns) == ["gemeente_code", "jaar", "status", "taakveld", "categorie", "lasten_cent"]
    assert set(begroting["gemeente_code"]) == {"GM0361"}
    assert set(begroting["jaar"]) == {2024} and set(begroting["status"]) == {"begroting"}
    # EUR 1,000 x 100,000 = cents, no float on the way:
    # 1234.567 -> 123456700; 98765.4321 -> 9876543210; 0.1 -> 10000; 0.2 -> 20000; 2500 -> 250000000;
    # -12.5 -> -1250000; 4.35 -> 435000 (float: 434999.99999999994); 0.29 -> 29000; total 10249243910
    assert begroting["lasten_cent"].tolist() == [
        123456700, 9876543210, 10000, 20000, 250000000, -1250000, 435000, 29000,
    ]
    assert begroting["lasten_cent"].sum() == 10249243910
    assert str(begroting["lasten_cent"].dtype) == "int64"
    assert "0.1" in begroting["taakveld"].tolist()  # all taakvelden kept, not only the social domain
    assert result.rows_read == 8 == result.rows_loaded + len(result.rejects)


def test_bad_lasten_items_are_rejects_with_their_json_path(tmp_path):
    lasten = """[
        {"taakveld": "6.71", "categorie": "4.3.1", "bedrag": 10},
        {"taakveld": "6.72", "bedrag": 1},
        {"taakveld": "6.72", "categorie": "4.3.1", "bedrag": "12,5"},
        {"taakveld": 6.1, "categorie": "4.3.1", "bedrag": 0.000001},
        [1, 2],
        {"taakveld": "6.81", "categorie": "4.3.1", "bedrag": null},
        {"taakveld": "6.82", "categorie": "4.3.1", "bedrag": 0.00001}
    ]"""
    result = read_iv3(delivery(tmp_path, lasten))

    assert [(r.where, r.reason) for r in result.rejects] == [
        ("data.lasten[1]", "categorie: missing"),
        ("data.lasten[2]", 'bedrag: not a number ("12,5")'),
        ("data.lasten[3]", "taakveld: not a string (6.1); bedrag: more than 5 decimals (a fraction of a cent) (0.000001)"),
        ("data.lasten[4]", "not an object but list"),
        ("data.lasten[5]", "bedrag: missing"),
    ]
    assert result.rejects[2].record == {"taakveld": "6.1", "categorie": "4.3.1", "bedrag": "0.000001"}
    begroting = result.tables["begroting"]
    # 10 -> 1000000 cents; 0.00001 (EUR 0.01) -> 1 cent
    assert begroting["lasten_cent"].tolist() == [1000000, 1]
    assert set(begroting["gemeente_code"]) == {"GM0361"} and set(begroting["status"]) == {"realisatie"}
    assert set(begroting["jaar"]) == {2023}
    assert result.rows_read == 7 == result.rows_loaded + len(result.rejects)


def test_empty_lasten_is_an_empty_table(tmp_path):
    result = read_iv3(delivery(tmp_path, "[]"))
    assert result.rows_read == 0 and list(result.tables["begroting"].columns)[-1] == "lasten_cent"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"metadata": {"overheidslaag": "Gemeente", ', r"invalid JSON, Expecting property name .*\(line 1 / column 44\)"),
        ("[1, 2, 3]", r"not an Iv3 delivery, no object at metadata"),
        ('{"data": {"lasten": []}}', r"not an Iv3 delivery, no object at metadata"),
        ("", r"empty file"),
    ],
)
def test_malformed_json_is_unreadable(tmp_path, text, message):
    path = tmp_path / "kapot.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileUnreadable, match=r"kapot\.json: " + message):
        read_iv3(path)


def test_truncated_fixture_is_unreadable(tmp_path):
    path = tmp_path / "afgebroken.json"
    path.write_bytes(FIXTURE.read_bytes()[:700])
    with pytest.raises(FileUnreadable, match=r"afgebroken\.json: invalid JSON, .*\(line \d+ / column \d+\)"):
        read_iv3(path)


def test_binary_garbage_is_unreadable(tmp_path):
    path = tmp_path / "garbage.json"
    path.write_bytes(bytes(range(256)))
    with pytest.raises(FileUnreadable, match=r"garbage\.json: "):
        read_iv3(path)


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({"overheidslaag": "Provincie"}, r"metadata\.overheidslaag is 'Provincie', expected 'Gemeente'"),
        ({"overheidsnummer": "GM0361x"}, r"metadata\.overheidsnummer is 'GM0361x'"),
        ({"boekjaar": None}, r"metadata\.boekjaar is None, expected a year"),
        ({"boekjaar": "2024"}, r"metadata\.boekjaar is '2024', expected a year"),
        ({"status": None}, r"metadata\.status is None, expected 'Begroting' or 'Realisatie'"),
        ({"status": "Prognose"}, r"metadata\.status is 'Prognose'"),
    ],
)
def test_bad_metadata_is_unreadable(tmp_path, metadata, message):
    with pytest.raises(FileUnreadable, match=r"iv3\.json: " + message):
        read_iv3(delivery(tmp_path, "[]", **metadata))


def test_lasten_not_a_list_is_unreadable(tmp_path):
    with pytest.raises(FileUnreadable, match=r"data\.lasten is dict, expected a list"):
        read_iv3(delivery(tmp_path, "{}"))
