"""CSV readers of the tabular sources: contracten, inkomsten, inwoners, tevredenheid.

Expected totals are computed by hand in the comments. Every test also checks that each data row
of the input (counted here from the text, not from the reader) was either loaded or rejected.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analysis.readers import FileUnreadable, ReadResult
from analysis.readers.tables import (
    parse_cents,
    parse_date,
    read_contracten,
    read_inkomsten,
    read_inwoners,
    read_tevredenheid,
)

CONTRACT_HEADER = "contract_id,regio,aanbieder_agb,aanbieder_naam,domein,perceel,begindatum,einddatum,plafond_eur"


def write(tmp_path: Path, text: str, *, name: str = "input.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def data_rows(text: str) -> int:
    """Non-blank lines after the header: the rows a reader must account for."""
    return sum(1 for line in text.splitlines() if line.strip()) - 1


def assert_accounted(result: ReadResult, text: str) -> None:
    assert result.rows_read == data_rows(text)
    assert result.rows_read == result.rows_loaded + len(result.rejects)


def by_where(result: ReadResult) -> dict[str, str]:
    return {reject.where: reject.reason for reject in result.rejects}


# --- field parsers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cents"),
    [
        ("1.234.567,89", 123456789),
        ("250.000.000", 25000000000),  # thousands dots, no decimals
        ("1234,5", 123450),
        ("1234.56", 123456),
        ("12.50", 1250),  # one dot, two decimals: a decimal point
        ("€ 2.500,00", 250000),
        ("-7,01", -701),
        ("0,10", 10),
        ("", None),
    ],
)
def test_parse_cents_is_exact(raw, cents):
    assert parse_cents(raw) == cents


@pytest.mark.parametrize(
    ("raw", "problem"),
    [("12,345", "ambiguous: one ',' before three digits"), ("85.125", "ambiguous: one '.' before three digits"),
     ("250.000", "ambiguous"), ("1234,567", "more than 2 decimals"), ("0.125", "more than 2 decimals"),
     ("1,234.56", "not a number"),
     ("12.34,5", "not a number"), ("abc", "not a number"), ("1e5", "not a number")],
)
def test_parse_cents_refuses(raw, problem):
    with pytest.raises(ValueError, match=problem):
        parse_cents(raw)


def test_parse_date_both_styles_and_refusals():
    assert parse_date("2024-02-29") == dt.date(2024, 2, 29)
    assert parse_date("1-3-2024") == dt.date(2024, 3, 1)
    with pytest.raises(ValueError, match="calendar"):
        parse_date("29-02-2023")
    with pytest.raises(ValueError, match="not a date"):
        parse_date("2024/01/01")


# --- contracten as CSV ---------------------------------------------------------------------------


def test_contracten_windows1252_semicolons_decimal_commas(tmp_path):
    text = (
        "contract_id;regio;aanbieder_agb;aanbieder_naam;domein;perceel;begindatum;einddatum;plafond_eur\n"
        "JZ-001;Alkmaar;98765432;Zorgé & Co <script>alert(1)</script>;Jeugd;Ambulant;01-01-2024;31-12-2025;1.234.567,89\n"
        "WMO-002; Alkmaar ;12345678;Thuishulp Noord;Wmo;Huishoudelijke hulp;2024-01-01;;250.000,00\n"
        "BW-003;Alkmaar;87654321;Beschermd Thuis;Beschermd Wonen;BW;2024-01-01;;\n"
    )
    result = read_contracten(write(tmp_path, text, encoding="cp1252"))

    assert result.kind == "contracten" and result.rejects == []
    contract = result.tables["contract"]
    assert list(result.tables) == ["contract"]
    # plafond 1.234.567,89 + 250.000,00 (+ none) = 123456789 + 25000000 = 148456789 cents
    assert contract["plafond_cent"].sum() == 148456789
    assert contract["plafond_cent"].isna().tolist() == [False, False, True]
    assert contract["aanbieder_naam"][0] == "Zorgé & Co <script>alert(1)</script>"  # text, not escaped here
    assert contract["regio"][1] == "Alkmaar"
    assert contract["begindatum"].tolist() == [dt.date(2024, 1, 1)] * 3
    assert contract["einddatum"][0] == dt.date(2025, 12, 31) and contract["einddatum"][1:].isna().all()
    assert any("Windows-1252" in note for note in result.notes)
    assert any("';'" in note for note in result.notes)
    assert_accounted(result, text)


def test_contracten_strips_control_characters_utf8_bom(tmp_path):
    text = CONTRACT_HEADER + "\nC1,Alkmaar,98765432,\"Zorg\u202e\x07 BV\",jeugd,P1,2024-01-01,,\n"
    result = read_contracten(write(tmp_path, text, encoding="utf-8-sig"))
    contract = result.tables["contract"]
    assert contract["aanbieder_naam"].tolist() == ["Zorg BV"]
    assert contract["domein"].tolist() == ["Jeugd"]  # spelled the canonical way
    assert "encoding UTF-8 with BOM, delimiter ','" in result.notes
    assert_accounted(result, text)


def test_contracten_reports_every_bad_row_at_once_with_its_line(tmp_path):
    text = "\n".join(
        [
            CONTRACT_HEADER,  # line 1
            "C1,Alkmaar,98765432,Goed,Jeugd,P1,2024-01-01,2025-12-31,100",  # 2 loaded
            "C2,Alkmaar,9876543,Zeven cijfers,Jeugd,P1,2024-01-01,,",  # 3 bad AGB
            "C3,Alkmaar,98765432,Datum,Wmo,P1,31-02-2024,,",  # 4 bad date
            "C4,Alkmaar,98765432,Bedrag,Wmo,P1,2024-01-01,,\"12,345\"",  # 5 bad amount
            "C5,Alkmaar,98765432,Domein,Jeugdzorg,P1,2024-01-01,,",  # 6 unknown domein
            "C1,Alkmaar,98765432,Dubbel,Jeugd,P1,2024-01-01,,",  # 7 duplicate of line 2
            "C6,Alkmaar,ABC,Veel fout,Wmo,P1,2024-06-01,2024-01-01,-100",  # 8 three problems
            "",  # 9 blank: not a row
            "C7,Alkmaar,12345678,Ook goed,Beschermd Wonen,P2,2024-01-01,,\"1.000,50\"",  # 10 loaded
            "C8,Alkmaar,12345678,Te kort",  # 11 wrong number of fields
            "C9,,12345678,Geen regio,Wmo,P1,2024-01-01,,",  # 12 missing required value
        ]
    ) + "\n"
    result = read_contracten(write(tmp_path, text))

    reasons = by_where(result)
    assert list(reasons) == [f"line {n}" for n in (3, 4, 5, 6, 7, 8, 11, 12)]
    assert reasons["line 3"] == "aanbieder_agb: not an AGB code of 8 digits ('9876543')"
    assert reasons["line 4"] == "begindatum: not a calendar date ('31-02-2024')"
    assert reasons["line 5"] == "plafond_eur: ambiguous: one ',' before three digits marks thousands or decimals ('12,345')"
    assert reasons["line 6"] == "domein: not one of Jeugd, Wmo, Beschermd Wonen ('Jeugdzorg')"
    assert reasons["line 7"] == "duplicate key (contract_id) of line 2"
    assert reasons["line 8"] == (
        "aanbieder_agb: not an AGB code of 8 digits ('ABC'); plafond_eur: negative amount ('-100'); "
        "einddatum before begindatum"
    )
    assert reasons["line 11"] == "expected 9 fields, found 4"
    assert reasons["line 12"] == "regio: missing"
    assert result.rejects[0].record["aanbieder_agb"] == "9876543"  # the raw row, as text
    contract = result.tables["contract"]
    assert contract["contract_id"].tolist() == ["C1", "C7"]
    assert contract["plafond_cent"].sum() == 10000 + 100050  # 100 + 1.000,50 EUR
    assert_accounted(result, text)


def test_tarieven_csv_recognised_by_header(tmp_path):
    text = (
        "contract_id,productcode,jaar,eenheid,tarief_eur\n"
        "JZ-001,45A12,2024,04,87.50\n"
        "JZ-001,45A12,2025,4,\"90,25\"\n"  # eenheid 4 lost its zero in a spreadsheet
        "WMO-002,02A01,2024,14,1234.5\n"
        "JZ-001,45A12,2024,04,88.00\n"  # duplicate (contract_id, productcode, jaar) of line 2
        "JZ-001,45A123,2024,04,1\n"  # productcode too long
        "JZ-001,45A13,20x4,uur,-1\n"  # bad year, bad eenheid, negative tarief
    )
    result = read_contracten(write(tmp_path, text))

    tarief = result.tables["contract_tarief"]
    assert list(result.tables) == ["contract_tarief"]
    # 87,50 + 90,25 + 1234,50 EUR = 8750 + 9025 + 123450 = 141225 cents
    assert tarief["tarief_cent"].sum() == 141225
    assert str(tarief["tarief_cent"].dtype) == "int64" and str(tarief["jaar"].dtype) == "int64"
    assert tarief["eenheid"].tolist() == ["04", "04", "14"]
    assert by_where(result) == {
        "line 5": "duplicate key (contract_id, productcode, jaar) of line 2",
        "line 6": "productcode: longer than 5 characters ('45A123')",
        "line 7": "jaar: not a number ('20x4'); eenheid: not a 2-digit WJ756 eenheid code ('uur'); "
        "tarief_eur: negative amount ('-1')",
    }
    assert_accounted(result, text)


def test_kpi_csv_norm_and_decimal_comma(tmp_path):
    text = (
        "contract_id;kpi;norm;streefwaarde\n"
        "JZ-001;aandeel_volgens_plan;MIN;0,85\n"
        "JZ-001;declaratie_juistheid;max;0.02\n"
        "JZ-001;tevredenheid;minimaal;7,5\n"  # wrong norm
        "JZ-001;aandeel_volgens_plan;min;0,9\n"  # duplicate (contract_id, kpi) of line 2
    )
    result = read_contracten(write(tmp_path, text))
    kpi = result.tables["contract_kpi"]
    assert kpi["norm"].tolist() == ["min", "max"]
    assert kpi["streefwaarde"].tolist() == [0.85, 0.02]
    assert by_where(result) == {
        "line 4": "norm: not one of min, max ('minimaal')",
        "line 5": "duplicate key (contract_id, kpi) of line 2",
    }
    assert_accounted(result, text)


# --- file-level failures ----------------------------------------------------------------------------


def test_header_of_no_contract_table_is_unreadable(tmp_path):
    path = write(tmp_path, "contract_id,productcode,jaar,tarief_eur\nC1,45A12,2024,10\n")
    with pytest.raises(FileUnreadable) as err:
        read_contracten(path)
    assert str(err.value) == (
        f"{path}: header fits none of contracten, tarieven, kpi; closest is tarieven, "
        "missing column(s) eenheid (line 1)"
    )


def test_missing_column_is_unreadable(tmp_path):
    path = write(tmp_path, "gemeente_code;jaar;domein\nGM0361;2024;Jeugd\n")
    with pytest.raises(FileUnreadable, match=r"input\.csv: missing column\(s\) bedrag_eur \(line 1\)$"):
        read_inkomsten(path)


@pytest.mark.parametrize("content", [b"", b"   \r\n\n", b"\xef\xbb\xbf"])
def test_empty_file_is_unreadable(tmp_path, content):
    path = tmp_path / "leeg.csv"
    path.write_bytes(content)
    with pytest.raises(FileUnreadable, match=r"leeg\.csv: empty file"):
        read_tevredenheid(path)


def test_binary_garbage_is_unreadable(tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(FileUnreadable, match=r"garbage\.csv: binary file, not CSV text \(NUL byte on line 3\)"):
        read_inwoners(path)


def test_bytes_neither_utf8_nor_windows1252_are_unreadable(tmp_path):
    path = tmp_path / "raar.csv"
    path.write_bytes(b"gemeente_code,jaar,domein,bedrag_eur\nGM0361,2024,Jeugd,1\x81\n")
    with pytest.raises(FileUnreadable, match=r"undecodable bytes.*byte 0x81 on line 2"):
        read_inkomsten(path)


def test_broken_quoting_is_unreadable(tmp_path):
    path = write(tmp_path, 'gemeente_code,jaar,domein,bedrag_eur\nGM0361,2024,Jeugd,"1\n')
    with pytest.raises(FileUnreadable, match=r"broken CSV"):
        read_inkomsten(path)


# --- inkomsten, inwoners, tevredenheid --------------------------------------------------------------


def test_inkomsten_normalises_gemeente_codes_and_amounts(tmp_path):
    text = (
        "gemeente_code;jaar;domein;bedrag_eur\n"
        "GM0361;2024;Jeugd;12.345.678,90\n"  # 1234567890 cents
        "0361;2024;Wmo;1234567.89\n"  # 123456789
        "361;2024;Beschermd Wonen;€ 2.500.000\n"  # 250000000
        " 373 ;2024;Jeugd;500\n"  # 50000, GM0373
        "Alkmaar;2024;Jeugd;1\n"  # line 6: not a code
        "GM03611;2024;Jeugd;1\n"  # line 7: five digits
        "0361;2024;Jeugd;5\n"  # line 8: duplicate of line 2
        "GM0361;2023;Jeugd;-5\n"  # line 9: negative income
    )
    result = read_inkomsten(write(tmp_path, text))
    inkomsten = result.tables["inkomsten"]
    assert result.kind == "inkomsten"
    assert inkomsten["gemeente_code"].tolist() == ["GM0361", "GM0361", "GM0361", "GM0373"]
    # 1234567890 + 123456789 + 250000000 + 50000 = 1608074679 cents
    assert inkomsten["bedrag_cent"].sum() == 1608074679
    assert by_where(result) == {
        "line 6": "gemeente_code: not a CBS gemeente code (GM0361, 0361 or 361) ('Alkmaar')",
        "line 7": "gemeente_code: not a CBS gemeente code (GM0361, 0361 or 361) ('GM03611')",
        "line 8": "duplicate key (gemeente_code, jaar, domein) of line 2",
        "line 9": "bedrag_eur: negative amount ('-5')",
    }
    assert_accounted(result, text)


def test_inwoners_statline_style(tmp_path):
    text = (
        "ID;RegioS;Perioden;Leeftijd;BevolkingOp1Januari_1\n"
        "1;GM0361  ;2024JJ00;0 tot 18 jaar;20563\n"
        "2;GM0361  ;2024JJ00;18 jaar of ouder;91234\n"
        "3;GM0373  ;2024JJ00;Totaal;31000\n"  # an age band the product does not use
        "4;GM0373  ;2024KW01;0 tot 18 jaar;6000\n"  # a quarter, not a year
        "5;GM0373  ;2024JJ00;0 tot 18 jaar;.\n"  # CBS writes '.' for unknown
    )
    result = read_inwoners(write(tmp_path, text))
    inwoners = result.tables["inwoners"]
    assert result.kind == "inwoners"
    assert inwoners[["gemeente_code", "jaar", "leeftijdsklasse"]].values.tolist() == [
        ["GM0361", 2024, "0-17"],
        ["GM0361", 2024, "18+"],
    ]
    assert inwoners["inwoners"].sum() == 20563 + 91234  # 111797
    assert by_where(result) == {
        "line 4": "Leeftijd: not '0 tot 18 jaar' or '18 jaar of ouder' ('Totaal')",
        "line 5": "Perioden: not a year period like 2024JJ00 ('2024KW01')",
        "line 6": "BevolkingOp1Januari_1: not a number ('.')",
    }
    assert "ignored column(s): ID" in result.notes
    assert_accounted(result, text)


def test_tevredenheid(tmp_path):
    text = (
        "aanbieder_agb,jaar,domein,score,respondenten\n"
        "98765432,2024,Jeugd,\"7,8\",120\n"
        "12345678,2024,Wmo,8.25,40\n"
        "12345678,2024,Wmo,11,40\n"  # line 4: score above 10, and duplicate key of line 3
        "1234567X,2024,Wmo,7,\"12,5\"\n"  # line 5: bad AGB, respondenten not whole
    )
    result = read_tevredenheid(write(tmp_path, text))
    tevredenheid = result.tables["tevredenheid"]
    assert result.kind == "tevredenheid"
    assert tevredenheid["score"].tolist() == [7.8, 8.25]
    assert tevredenheid["respondenten"].sum() == 160
    assert by_where(result) == {
        "line 4": "score: score outside 1-10 ('11'); duplicate key (aanbieder_agb, jaar, domein) of line 3",
        "line 5": "aanbieder_agb: not an AGB code of 8 digits ('1234567X'); respondenten: not a whole number ('12,5')",
    }
    assert_accounted(result, text)
