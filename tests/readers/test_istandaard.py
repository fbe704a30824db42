"""The iStandaard reader on small hand-made messages; expected figures worked out in comments."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import xmlbuild as xb

from analysis.privacy import pseudonymise
from analysis.readers import FileUnreadable
from analysis.readers.istandaard import read_istandaard

SECRET = "test-secret"
BSN_A, BSN_B = xb.VALID_BSN[:2]


def _write(tmp_path: Path, text: str, name: str = "m.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _read(tmp_path: Path, text: str):
    return read_istandaard(_write(tmp_path, text), secret=SECRET)


def test_declaratie_lines_are_loaded_with_signed_cents_and_pseudonyms(tmp_path):
    # client A: 10 uur x EUR 100,00 = 100000 cents; a credit of 5 x 8000 = 40000 on earlier line R0.
    # client B: 3 etmaal x EUR 250,50 = 75150 cents. Net 100000 - 40000 + 75150 = 135150.
    text = xb.declaratie({
        BSN_A: [xb.prestatie("R1", volume=10, tarief=10000),
                xb.prestatie("R2", vorig="R0", volume=5, tarief=8000, dc="C")],
        BSN_B: [xb.prestatie("R3", volume=3, eenheid="14", tarief=25050)],
    })
    result = _read(tmp_path, text)
    rows = result.columns("declaratie")
    assert result.kind == "JW323"
    assert result.rows_read == 3 and result.rows_loaded == 3 and result.rejects == []
    assert rows["ingediend_cent"] == [100000, -40000, 75150]
    assert sum(rows["ingediend_cent"]) == 135150
    assert rows["client_id"] == [pseudonymise(BSN_A, secret=SECRET)] * 2 + [pseudonymise(BSN_B, secret=SECRET)]
    assert rows["gemeente_code"] == ["GM0361"] * 3 and rows["aanbieder_agb"] == ["12345678"] * 3
    assert rows["vorig_referentienummer"] == [None, "R0", None]
    assert rows["periode_begin"][0] == date(2024, 3, 1) and rows["standaard"] == ["iJw"] * 3


def test_no_bsn_anywhere_in_the_result(tmp_path):
    text = xb.declaratie({BSN_A: [xb.prestatie("R1")], "123456789": [xb.prestatie("R2")]})
    result = _read(tmp_path, text)
    everything = repr(result.tables) + repr([(r.where, r.reason, r.record) for r in result.rejects])
    assert BSN_A not in everything and "123456789" not in everything
    assert [r.reason for r in result.rejects] == ["Bsn fails the 11-proef (BSN not kept)"]


def test_wmo_declaratie_is_read_namespace_agnostically(tmp_path):
    text = xb.declaratie({BSN_A: [xb.prestatie("W1", categorie="02", code="02A01", volume=4, tarief=6000)]}, std="iwmo")
    result = _read(tmp_path, text)
    assert result.kind == "WMO323"
    assert result.columns("declaratie")["ingediend_cent"] == [24000]
    assert result.columns("declaratie")["standaard"] == ["iWmo"]


def test_every_line_problem_is_reported_at_once_with_its_place(tmp_path):
    text = xb.declaratie({BSN_A: [
        xb.prestatie("R1", volume=10, tarief=10000, bedrag=99999),            # not 10 x 10000
        xb.prestatie("R2", begin="2024-02-20", eind="2024-03-10"),            # outside March
        xb.prestatie("R3"),                                                    # fine
        xb.prestatie("R3"),                                                    # duplicate reference
        xb.prestatie("R5", dc="C"),                                            # credit without VorigReferentieNummer
        xb.prestatie("R6", eenheid="83", volume=500, tarief=None, bedrag=50000),  # euro's: no tariff check
    ]})
    result = _read(tmp_path, text)
    reasons = {r.where.split(",")[0]: r.reason for r in result.rejects}
    assert result.rows_read == 6 and result.rows_loaded == 2 and len(result.rejects) == 4
    assert "IngediendBedrag 99999 is not GeleverdVolume 10 x ProductTarief 10000 = 100000 cents" in reasons["Client 1 / Prestatie 1"]
    assert "outside DeclaratiePeriode 2024-03-01..2024-03-31" in reasons["Client 1 / Prestatie 2"]
    assert "ReferentieNummer 'R3' occurs twice" in reasons["Client 1 / Prestatie 4"]
    assert "credit line without VorigReferentieNummer" in reasons["Client 1 / Prestatie 5"]
    assert all(", line " in r.where for r in result.rejects)
    assert result.columns("declaratie")["referentienummer"] == ["R3", "R6"]


def test_antwoord_lists_rejected_lines_with_retourcodes(tmp_path):
    p1, p2 = xb.prestatie("R1"), xb.prestatie("R2")
    text = xb.antwoord({BSN_A: [(p1, ("9346",)), (p2, ("9307", "9308"))]}, ingediend=300000, toegekend=100000)
    result = _read(tmp_path, text)
    assert result.kind == "JW325"
    assert result.columns("antwoord")["totaal_toegekend_cent"] == [100000]
    assert result.columns("antwoord")["declaratienummer"] == ["D1"]
    assert result.columns("antwoord_regel")["retourcodes"] == ["9346", "9307,9308"]
    assert result.rows_read == 3  # the answer itself and its two rejected lines


def test_antwoord_rejecting_the_whole_message(tmp_path):
    result = _read(tmp_path, xb.antwoord({}, nummer=None, kop=("0001",)))
    assert result.columns("antwoord")["declaratienummer"] == [None]
    assert result.columns("antwoord")["kop_retourcodes"] == ["0001"]
    assert "antwoord_regel" not in result.tables


def test_start_stop_and_toewijzing(tmp_path):
    start = _read(tmp_path, xb.start(BSN_A, [{"begin": "2024-03-01"}, {"begin": "2024-04-01", "toewijzing": 2}]))
    assert start.kind == "JW305" and start.columns("start")["begindatum"] == [date(2024, 3, 1), date(2024, 4, 1)]
    stop = _read(tmp_path, xb.stop(BSN_A, [{"begin": "2024-03-01", "reden": "34", "eind": "2024-05-31"}]))
    assert stop.columns("stop")["reden_beeindiging"] == ["34"] and stop.columns("stop")["gemeente_code"] == ["GM0361"]
    toew = _read(tmp_path, xb.toewijzing(BSN_A, [{"begin": "2024-03-01", "eind": "2024-12-31", "volume": 8}]))
    assert toew.kind == "JW301" and toew.columns("toewijzing")["volume"] == [8]
    assert toew.columns("toewijzing")["aanbieder_agb"] == ["12345678"]  # the receiver of a 301


def test_stop_before_start_is_rejected(tmp_path):
    result = _read(tmp_path, xb.stop(BSN_A, [{"begin": "2024-03-01", "reden": "31", "eind": "2024-02-01"}]))
    assert result.rows_loaded == 0 and "lies before Begindatum" in result.rejects[0].reason


@pytest.mark.parametrize("mangle, message", [
    (lambda t: t[: len(t) // 2], "not well-formed XML"),
    (lambda t: t.replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                         '<?xml version="1.0"?><!DOCTYPE Bericht [<!ENTITY x "boom">]>'), "DOCTYPE or entities"),
    (lambda t: t.replace("/jw323/schema", "/jw999/schema"), "unsupported message type"),
    (lambda t: t.replace("<Ontvanger>0361</Ontvanger>", "<Ontvanger>361X</Ontvanger>"), "gemeente code '361X' is not 4 digits"),
    (lambda t: t.replace("<DeclaratieNummer>D1</DeclaratieNummer>", ""), "DeclaratieNummer is missing"),
])
def test_unreadable_files_name_the_file_and_place(tmp_path, mangle, message):
    path = _write(tmp_path, mangle(xb.declaratie({BSN_A: [xb.prestatie("R1")]})), "bad.xml")
    with pytest.raises(FileUnreadable, match=message) as info:
        read_istandaard(path, secret=SECRET)
    assert str(path) in str(info.value) and "line " in str(info.value)


def test_billion_laughs_is_refused_before_expansion(tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
            + ']><Bericht xmlns="http://www.istandaarden.nl/ijw/3_2/jw323/schema">&lol9;</Bericht>')
    with pytest.raises(FileUnreadable, match="never expanded"):
        read_istandaard(_write(tmp_path, bomb), secret=SECRET)
