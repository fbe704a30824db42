"""Hostile and broken input for the readers: no crash, no silent loss, no leak (issue 14, reader half).

One case per class of the issue, each on a small hand-made file: the exact reason or note, the
count read = loaded + quarantined, and no BSN in anything a reader hands on. The last test builds a
warehouse from a raw folder holding one file of every class and checks the same from ``laadlog``.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest
import xmlbuild as xb

from analysis.readers import FileUnreadable, ReadResult, csvfile, mask_bsn, rows
from analysis.readers.istandaard import read_istandaard
from analysis.readers.tables import read_contracten, read_inkomsten

SECRET = "a hostile reader test secret of 32 or more characters"  # real data: 32+ (privacy.py)
BSN = xb.VALID_BSN[0]  # 111222333
CONTRACT_HEADER = "contract_id,regio,aanbieder_agb,aanbieder_naam,domein,perceel,begindatum,einddatum,plafond_eur"
GOOD = "C1,Alkmaar,12345678,Zorg BV,Jeugd,Ambulant,2024-01-01,2025-12-31,1000"
TARIEF_HEADER = "contract_id,productcode,jaar,eenheid,tarief_eur"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def everything(result: ReadResult) -> str:
    """All a reader hands on, as one text: rows, rejects (place, reason, record) and notes."""
    tables = {name: result.columns(name) for name in result.tables}
    return repr(tables) + repr([(r.where, r.reason, r.record) for r in result.rejects]) + repr(result.notes)


def refusal(read, path: Path) -> str:  # noqa: ANN001
    """The message of the FileUnreadable that ``read(path)`` raises."""
    with pytest.raises(FileUnreadable) as info:
        read(path)
    return str(info.value)


def assert_accounted(result: ReadResult, *, read: int, loaded: int) -> None:
    assert (result.rows_read, result.rows_loaded, len(result.rejects)) == (read, loaded, read - loaded)


# --- XML: a DOCTYPE or entity in any encoding --------------------------------------------------------

_DOCTYPE = '<!DOCTYPE Bericht [<!ENTITY naam "Jansen">]>\n'


def _with_doctype(encoding_declared: str) -> str:
    text = xb.declaratie({BSN: [xb.prestatie("R1")]})
    text = text.replace('encoding="UTF-8"', f'encoding="{encoding_declared}"')
    head, rest = text.split("\n", 1)
    return head + "\n" + _DOCTYPE + rest.replace("<ProductCode>45A03</ProductCode>", "<ProductCode>&naam;</ProductCode>")


@pytest.mark.parametrize(("encoding", "declared"), [
    ("utf-16", "UTF-16"),        # with BOM (little-endian here)
    ("utf-16-le", "UTF-16"),     # without BOM
    ("utf-16-be", "UTF-16"),     # without BOM, big-endian
    ("utf-8", "UTF-8"),
])
def test_a_doctype_with_an_entity_is_refused_in_any_encoding(tmp_path, encoding, declared):
    path = write(tmp_path / "entiteit.xml", _with_doctype(declared).encode(encoding))
    assert refusal(lambda p: read_istandaard(p, secret=SECRET), path) == (
        f"{path}: line 2: document declares a DOCTYPE or entities; refused (entities are never expanded)")


# --- XML: XSD lengths and patterns; the header total ---------------------------------------------------


def test_a_9_mb_productcode_is_a_rejected_line_whose_record_is_cut(tmp_path):
    huge = "A" * (9 * 1024 * 1024)  # 9437184 characters
    text = xb.declaratie({BSN: [xb.prestatie("R1"), xb.prestatie("R2", code=huge)]})
    result = read_istandaard(write(tmp_path / "lang.xml", text), secret=SECRET)
    assert_accounted(result, read=2, loaded=1)
    (reject,) = result.rejects
    assert reject.reason == "ProductCode is 9437184 characters long, more than the 5 of LDT_ProductCode"
    assert reject.record["ProductCode"] == "A" * 200 + "… (9437184 characters)"
    assert len(everything(result)) < 10_000


def test_a_volume_beyond_the_xsd_range_is_rejected_not_converted(tmp_path):
    text = xb.declaratie({BSN: [xb.prestatie("R1", volume="1" + "0" * 5000, tarief=None, bedrag=1)]})
    result = read_istandaard(write(tmp_path / "groot.xml", text), secret=SECRET)
    assert_accounted(result, read=1, loaded=0)
    assert result.rejects[0].reason == "GeleverdVolume of 5001 digits is more than the 99999999 of LDT_Volume"


def test_a_323_without_prestaties_whose_header_says_4263_30_gets_a_note(tmp_path):
    text = xb.declaratie({BSN: []}).replace("<b:TotaalBedrag>0</b:TotaalBedrag>", "<b:TotaalBedrag>426330</b:TotaalBedrag>")
    result = read_istandaard(write(tmp_path / "leeg.xml", text), secret=SECRET)
    assert_accounted(result, read=0, loaded=0)
    assert result.notes == ["header total vs sum of lines mismatch: TotaalIngediendBedrag 426330 cents, "
                            "the 0 Prestatie(s) sum to 0 cents (line 3)"]


def test_a_323_whose_lines_add_up_gets_no_note(tmp_path):
    # 10 x 10000 - 5 x 8000 = 60000 cents, and the builder writes that total
    text = xb.declaratie({BSN: [xb.prestatie("R1"), xb.prestatie("R2", vorig="R0", volume=5, tarief=8000, dc="C")]})
    result = read_istandaard(write(tmp_path / "goed.xml", text), secret=SECRET)
    assert_accounted(result, read=2, loaded=2)
    assert "<b:TotaalBedrag>60000</b:TotaalBedrag>" in text and result.notes == []


# --- CSV: junk after a valid header, read in batches -----------------------------------------------------


def test_junk_after_the_header_refuses_the_file_after_the_first_batch(tmp_path):
    # 1 good row, then 30,000 junk lines of one field each: the first batch holds lines 2..20001,
    # 19,999 of them rejected (> 10,000), so the file is refused there, the rest never parsed.
    junk = "".join(f"junk{i}\n" for i in range(30_000))
    path = write(tmp_path / "contracten.csv", f"{CONTRACT_HEADER}\n{GOOD}\n{junk}")
    assert refusal(read_contracten, path) == (
        f"{path}: more than 10000 rows rejected (19999 of the first 20000, up to line 20001): "
        "refused as damaged, no row loaded; the first: line 3: expected 9 fields, found 1")


def test_rejects_up_to_the_limit_are_kept_one_by_one(tmp_path, monkeypatch):
    monkeypatch.setattr(rows, "BATCH_ROWS", 2)
    monkeypatch.setattr(rows, "MAX_REJECTS", 3)
    path = write(tmp_path / "contracten.csv", f"{CONTRACT_HEADER}\n{GOOD}\nx\ny\nz\n")
    result = read_contracten(path)
    assert_accounted(result, read=4, loaded=1)  # 3 rejects: the limit, not over it
    path = write(tmp_path / "contracten.csv", f"{CONTRACT_HEADER}\n{GOOD}\nx\ny\nz\nw\n")
    with pytest.raises(FileUnreadable, match=r"more than 3 rows rejected \(4 of the first 5, up to line 6\)"):
        read_contracten(path)


def test_a_key_repeated_in_a_later_batch_is_a_duplicate(tmp_path, monkeypatch):
    monkeypatch.setattr(rows, "BATCH_ROWS", 2)
    lines = [GOOD, GOOD.replace("C1", "C2"), GOOD.replace("Zorg BV", "Later BV")]  # line 4 repeats C1
    result = read_contracten(write(tmp_path / "contracten.csv", "\n".join([CONTRACT_HEADER, *lines]) + "\n"))
    assert_accounted(result, read=3, loaded=2)
    assert [(r.where, r.reason) for r in result.rejects] == [("line 4", "duplicate key (contract_id) of line 2")]


def test_a_header_only_csv_gets_a_note(tmp_path):
    result = read_contracten(write(tmp_path / "contracten.csv", CONTRACT_HEADER + "\n"))
    assert_accounted(result, read=0, loaded=0)
    assert result.notes == ["encoding UTF-8, delimiter ','", "no rows: a header only (line 1)"]


# --- CSV: one Windows-1252 line in a UTF-8 file -----------------------------------------------------


def test_each_line_is_decoded_on_its_own(tmp_path):
    data = (f"{CONTRACT_HEADER}\n".encode()
            + GOOD.replace("Zorg BV", "Stichting Réveil").encode("utf-8") + b"\n"
            + GOOD.replace("C1", "C2").replace("Zorg BV", "Zorg Noël").encode("cp1252") + b"\n"
            + GOOD.replace("C1", "C3").replace("Zorg BV", "Café € Co").encode("utf-8") + b"\n")
    result = read_contracten(write(tmp_path / "contracten.csv", data))
    assert_accounted(result, read=3, loaded=3)
    assert result.tables["contract"]["aanbieder_naam"].tolist() == ["Stichting Réveil", "Zorg Noël", "Café € Co"]
    assert result.notes == ["encoding UTF-8, but line(s) 3 not UTF-8: read as Windows-1252, delimiter ','"]


def test_a_windows_1252_file_is_noted_as_such(tmp_path):
    data = f"{CONTRACT_HEADER}\n{GOOD.replace('Zorg BV', 'Zorg Noël')}\n".encode("cp1252")
    result = read_contracten(write(tmp_path / "contracten.csv", data))
    assert result.notes == ["encoding Windows-1252 (not UTF-8: byte 0xeb on line 2), delimiter ','"]


@pytest.mark.parametrize("block", [1, 2, 3, 4, 64 * 1024])
def test_lines_end_in_crlf_lf_or_a_lone_cr_whatever_the_block_size(monkeypatch, tmp_path, block):
    monkeypatch.setattr(csvfile, "_BLOCK", block)
    path = write(tmp_path / "x.csv", b"a\r\nbb\rc\n\r\nd")
    with path.open("rb") as handle:
        assert list(csvfile.physical_lines(handle, path=path)) == [b"a\r\n", b"bb\r", b"c\n", b"\r\n", b"d"]


def test_an_old_mac_file_with_lone_cr_line_ends_is_read(tmp_path):
    data = "gemeente_code,jaar,domein,bedrag_eur\rGM0361,2024,Jeugd,1000.00\rGM0361,2024,Wmo,12,5\r"
    result = read_inkomsten(write(tmp_path / "mac.csv", data))
    assert_accounted(result, read=2, loaded=1)  # line 3 has 5 fields
    assert [(r.where, r.reason) for r in result.rejects] == [("line 3", "expected 4 fields, found 5")]


def test_a_line_over_1_mb_refuses_the_file(tmp_path):
    path = write(tmp_path / "lang.csv", f"{CONTRACT_HEADER}\n{GOOD}\n" + "x" * (1024 * 1024 + 1))
    assert refusal(read_contracten, path) == f"{path}: line 3 is longer than 1 MB, not a table's line"


# --- amounts: one separator before three digits --------------------------------------------------------


def test_an_ambiguous_tariff_is_quarantined_not_multiplied(tmp_path):
    text = (f"{TARIEF_HEADER}\n"
            "C1,45A03,2024,04,85.125\n"    # line 2: EUR 85,125 or 85.125? refused
            "C1,45A04,2024,04,\"1,500\"\n"  # line 3: refused
            "C1,45A05,2024,04,250.000\n"    # line 4: refused
            "C1,45A06,2024,04,\"1.234,56\"\n"  # 123456 cents
            "C1,45A07,2024,04,1234.56\n"    # 123456
            "C1,45A08,2024,04,\"85,12\"\n")  # 8512
    result = read_contracten(write(tmp_path / "tarieven.csv", text))
    assert_accounted(result, read=6, loaded=3)
    assert result.tables["contract_tarief"]["tarief_cent"].tolist() == [123456, 123456, 8512]
    ambiguous = "tarief_eur: ambiguous: one {!r} before three digits marks thousands or decimals ({!r})"
    assert [(r.where, r.reason) for r in result.rejects] == [
        ("line 2", ambiguous.format(".", "85.125")),
        ("line 3", ambiguous.format(",", "1,500")),
        ("line 4", ambiguous.format(".", "250.000")),
    ]


# --- XLSX: formulas without a cached value, zip bombs ------------------------------------------------


def _workbook(path: Path, contracten: list[list], *, extra: dict[str, bytes] | None = None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, sheet_rows in {"Contracten": contracten, "tarieven": [TARIEF_HEADER.split(",")],
                             "kpi": [["contract_id", "kpi", "norm", "streefwaarde"]]}.items():
        sheet = book.create_sheet(name)
        for row in sheet_rows:
            sheet.append(row)
    book.save(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def test_a_formula_without_a_cached_value_is_quarantined_naming_the_cell(tmp_path):
    header = CONTRACT_HEADER.split(",")
    good = ["C1", "Alkmaar", "12345678", "Zorg BV", "Jeugd", "Ambulant", dt.date(2024, 1, 1), dt.date(2025, 12, 31), 1000]
    formula = ["C2", "Alkmaar", "12345678", "Zorg BV", "Jeugd", "=B3&\"x\"", dt.date(2024, 1, 1), "=G3+365", "=1000*2"]
    path = _workbook(tmp_path / "contracten.xlsx", [header, good, formula])  # openpyxl stores no cached values
    result = read_contracten(path)
    assert_accounted(result, read=2, loaded=1)
    assert [(r.where, r.reason) for r in result.rejects] == [
        ("sheet contracten row 3", "formula without a cached value in Contracten!F3, Contracten!H3, Contracten!I3")]
    assert result.notes[-1] == "no rows: a header only (sheet kpi row 1)"


def test_a_number_cell_with_three_decimals_is_not_ambiguous(tmp_path):
    header = CONTRACT_HEADER.split(",")
    row = ["C1", "Alkmaar", "12345678", "Zorg BV", "Jeugd", "Ambulant", dt.date(2024, 1, 1), None, 85.125]
    result = read_contracten(_workbook(tmp_path / "contracten.xlsx", [header, row]))
    assert_accounted(result, read=1, loaded=0)
    assert result.rejects[0].reason == "plafond_eur: more than 2 decimals ('85.1250')"


def test_a_part_that_unpacks_more_than_500_times_is_a_zip_bomb(tmp_path):
    path = _workbook(tmp_path / "bom.xlsx", [CONTRACT_HEADER.split(",")], extra={"xl/media/nul.bin": bytes(20 * 1024**2)})
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/media/nul.bin")
    ratio = info.file_size / info.compress_size  # zlib packs 20 MB of zeros about 1000-fold
    assert ratio > 500
    assert refusal(read_contracten, path) == (
        f"{path}: xl/media/nul.bin unpacks to {ratio:.0f} times its packed size (more than 500), refused as a zip bomb")


def test_a_long_sheet_is_read_in_batches(tmp_path, monkeypatch):
    # 25 rows with batches of 10: the reader sees 3 batches; C5 is repeated in row 22 (3rd batch).
    monkeypatch.setattr(rows, "BATCH_ROWS", 10)
    header = CONTRACT_HEADER.split(",")
    data = [[f"C{i}", "Alkmaar", "12345678", "Zorg BV", "Jeugd", "Ambulant", dt.date(2024, 1, 1), None, 1000]
            for i in range(1, 26)]
    data[20][0] = "C5"  # sheet row 22
    result = read_contracten(_workbook(tmp_path / "contracten.xlsx", [header, *data]))
    assert_accounted(result, read=25, loaded=24)
    assert [(r.where, r.reason) for r in result.rejects] == [
        ("sheet contracten row 22", "duplicate key (contract_id) of sheet contracten row 6")]
    assert result.tables["contract"]["plafond_cent"].sum() == 24 * 100000


# --- leaks: a BSN in a column the reader does not know, or typed into one it does -----------------------


def test_no_bsn_of_an_extra_column_or_a_kept_text_reaches_a_record(tmp_path):
    text = (f"{CONTRACT_HEADER},bsn\n"
            f"{GOOD},{BSN}\n"                                                         # loaded; bsn ignored
            f"C2,Alkmaar,1234,Zorg voor {BSN},Jeugd,Ambulant,2024-01-01,,1000,{BSN}\n"  # bad AGB: rejected
            f"C3,Alkmaar,12345678,Zorg BV,Jeugd,Ambulant,2024-01-01,,1000,{BSN},{BSN}\n")  # 11 fields: rejected
    result = read_contracten(write(tmp_path / "contracten.csv", text))
    assert_accounted(result, read=3, loaded=1)
    assert BSN not in everything(result)
    first, second = result.rejects
    assert first.reason == "aanbieder_agb: not an AGB code of 8 digits ('1234')"
    assert "bsn" not in first.record and first.record["aanbieder_naam"] == "Zorg voor *********"
    assert second.reason == "expected 10 fields, found 11" and "bsn" not in second.record
    assert "ignored column(s): bsn" in result.notes


def test_a_bsn_typed_into_a_known_column_is_masked_in_the_reason_too(tmp_path):
    text = f"{CONTRACT_HEADER}\nC1,Alkmaar,{BSN},Zorg BV,Jeugd,Ambulant,2024-01-01,,1000\n"
    result = read_contracten(write(tmp_path / "contracten.csv", text))
    assert_accounted(result, read=1, loaded=0)
    assert result.rejects[0].reason == "aanbieder_agb: not an AGB code of 8 digits ('*********')"
    assert result.rejects[0].record["aanbieder_agb"] == "*********"


def test_a_bsn_as_sender_of_a_message_is_masked_in_the_refusal(tmp_path):
    text = xb.declaratie({BSN: [xb.prestatie("R1")]}, agb=BSN)
    message = refusal(lambda p: read_istandaard(p, secret=SECRET), write(tmp_path / "m.xml", text))
    assert message.endswith("Header: AGB code '*********' is not 8 digits") and BSN not in message


def test_a_bsn_as_a_column_name_is_masked_in_the_note(tmp_path):
    result = read_contracten(write(tmp_path / "contracten.csv", f"{CONTRACT_HEADER},{BSN}\n{GOOD},x\n"))
    assert_accounted(result, read=1, loaded=1)
    assert result.notes[-1] == "ignored column(s): *********"


def test_mask_bsn_masks_only_nine_digit_numbers_that_pass_the_11_proef():
    assert mask_bsn(f"{BSN} 123456789 1{BSN} 12345678") == "********* 123456789 1111222333 12345678"


def test_an_xml_reject_keeps_only_the_elements_the_reader_reads(tmp_path):
    text = xb.declaratie({BSN: [xb.prestatie("R1", tarief=100)]})  # 10 x 100 = 1000, but bedrag 1000 is fine
    text = text.replace("<Eenheid>04</Eenheid>", f"<Eenheid>04</Eenheid><Opmerking>{BSN}</Opmerking>")
    text = text.replace("<b:Bedrag>1000</b:Bedrag>", "<b:Bedrag>999</b:Bedrag>")  # now 999 != 1000: rejected
    result = read_istandaard(write(tmp_path / "m.xml", text), secret=SECRET)
    assert_accounted(result, read=1, loaded=0)
    assert "Opmerking" not in result.rejects[0].record and BSN not in everything(result)
    assert result.rejects[0].record["IngediendBedrag/Bedrag"] == "999"


# --- the whole build: every class at once -----------------------------------------------------------


def test_a_build_over_every_class_finishes_and_accounts_for_every_row(tmp_path):
    from analysis.warehouse import build

    raw = tmp_path / "raw"
    write(raw / "istandaard" / "goed.xml", xb.declaratie({BSN: [xb.prestatie("R1")]}))
    write(raw / "istandaard" / "utf16.xml", _with_doctype("UTF-16").encode("utf-16"))
    write(raw / "istandaard" / "leeg.xml", xb.declaratie({BSN: []}, nummer="D9", ident="B9").replace(
        "<b:TotaalBedrag>0</b:TotaalBedrag>", "<b:TotaalBedrag>426330</b:TotaalBedrag>"))
    write(raw / "contracten" / "contracten.csv", f"{CONTRACT_HEADER},bsn\n{GOOD},{BSN}\nC2,x,1,{BSN},Jeugd,A,,,1\n")
    write(raw / "contracten" / "tarieven.csv", f"{TARIEF_HEADER}\nC1,45A03,2024,04,85.125\nC1,45A03,2025,04,85.12\n")
    write(raw / "contracten" / "kpi.csv", "contract_id,kpi,norm,streefwaarde\n")
    write(raw / "inkomsten" / "rijksmiddelen.csv", b"gemeente_code,jaar,domein,bedrag_eur\n"
          + "GM0361,2024,Jeugd,1000.00\n".encode() + "GM0361,2024,Wmo,\"2.000,00\"\n".encode("cp1252"))
    report = build(raw, tmp_path / "warehouse.duckdb", secret=SECRET, workers=1)

    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        log = {row[0]: row[1:] for row in con.sql(
            "SELECT pad, status, rows_read, rows_loaded, rows_quarantined, fouten, notities FROM laadlog").fetchall()}
        dump = repr(con.sql("SELECT * FROM quarantaine").fetchall()) + repr(log)
        for (table,) in con.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                                "AND table_name LIKE 'bron_%'").fetchall():
            dump += repr(con.sql(f"SELECT * FROM {table}").fetchall())
    assert BSN not in dump
    assert all(read == loaded + quarantined for _, read, loaded, quarantined, _, _ in log.values())
    assert log["istandaard/utf16.xml"][:4] == ("onleesbaar", 0, 0, 0)
    assert "document declares a DOCTYPE or entities" in log["istandaard/utf16.xml"][4][0]
    assert log["istandaard/goed.xml"][:4] == ("geladen", 1, 1, 0)
    assert "header total vs sum of lines mismatch" in log["istandaard/leeg.xml"][5][0]
    assert log["contracten/contracten.csv"][:4] == ("geladen", 2, 1, 1)
    assert log["contracten/tarieven.csv"][:4] == ("geladen", 2, 1, 1)
    assert log["contracten/kpi.csv"][5][-1] == "no rows: a header only (line 1)"
    assert log["inkomsten/rijksmiddelen.csv"][:4] == ("geladen", 2, 2, 0)
    assert report.totals["files_onleesbaar"] == 1
