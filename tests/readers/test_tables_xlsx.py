"""Contract workbooks (XLSX), built here with openpyxl the way a contract manager would fill them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from analysis.readers import FileUnreadable
from analysis.readers import xlsx
from analysis.readers.tables import read_contracten
from analysis.schemas import SCHEMAS

CONTRACTEN = [
    ["contract_id", "regio", "aanbieder_agb", "aanbieder_naam", "domein", "perceel", "begindatum", "einddatum", "plafond_eur"],
    ["JZ-001", "Alkmaar", 98765432, "Zorgé <b>BV</b>", "Jeugd", "Ambulant", dt.datetime(2024, 1, 1), None, 1234567.89],
    [None] * 9,  # an empty row 3 between the blocks
    ["WMO-002", "Alkmaar", "12345678", "Thuishulp", "Wmo", "HH", "01-01-2024", dt.date(2025, 12, 31), 250000],
    ["BW-003", "Alkmaar", "00000001", "Beschermd", "Beschermd Wonen", "BW", dt.datetime(2024, 1, 1), None, None],
]
TARIEVEN = [
    ["contract_id", "productcode", "jaar", "eenheid", "tarief_eur"],
    ["JZ-001", "45A12", 2024, "04", 87.5],
    ["JZ-001", "45A12", 2025, 4, "90,25"],
    ["JZ-001", "45A12", 2024, "04", 88],  # row 4: duplicate (contract_id, productcode, jaar)
    ["WMO-002", "02A01", 2024, "14", 0.125],  # row 5: more than 2 decimals
]
KPI = [
    ["contract_id", "kpi", "norm", "streefwaarde"],
    ["JZ-001", "aandeel_volgens_plan", "min", 0.85],
    ["JZ-001", "tevredenheid", "min", 7.5],
]


def workbook(tmp_path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "contracten.xlsx"
    book.save(path)
    return path


def test_workbook_with_three_sheets(tmp_path):
    path = workbook(tmp_path, {"contracten": CONTRACTEN, "tarieven": TARIEVEN, "kpi": KPI, "toelichting": [["vrij"]]})
    result = read_contracten(path)

    assert result.kind == "contracten"
    assert list(result.tables) == ["contract", "contract_tarief", "contract_kpi"]
    contract, tarief, kpi = (result.tables[name] for name in ("contract", "contract_tarief", "contract_kpi"))
    for name, frame in result.tables.items():
        assert list(frame.columns) == list(SCHEMAS[name].columns)
    assert contract["aanbieder_agb"].tolist() == ["98765432", "12345678", "00000001"]
    assert contract["aanbieder_naam"][0] == "Zorgé <b>BV</b>"
    # plafond 1234567,89 (a float cell) + 250000 = 123456789 + 25000000 = 148456789 cents
    assert contract["plafond_cent"].sum() == 148456789
    assert contract["begindatum"].tolist() == [dt.date(2024, 1, 1)] * 3
    assert contract["einddatum"][1] == dt.date(2025, 12, 31)
    # tarief 87,50 + 90,25 = 8750 + 9025 = 17775 cents
    assert tarief["tarief_cent"].sum() == 17775
    assert tarief["eenheid"].tolist() == ["04", "04"]
    assert kpi["streefwaarde"].tolist() == [0.85, 7.5]
    assert [(r.where, r.reason) for r in result.rejects] == [
        ("sheet tarieven row 4", "duplicate key (contract_id, productcode, jaar) of sheet tarieven row 2"),
        ("sheet tarieven row 5", "tarief_eur: more than 2 decimals ('0.125')"),
    ]
    assert result.rejects[1].record == {
        "contract_id": "WMO-002", "productcode": "02A01", "jaar": "2024", "eenheid": "14", "tarief_eur": "0.125",
    }
    assert "ignored sheet(s): toelichting" in result.notes
    # 3 + 4 + 2 data rows in the sheets
    assert result.rows_read == 9 == result.rows_loaded + len(result.rejects)


def test_workbook_missing_a_sheet_is_unreadable(tmp_path):
    path = workbook(tmp_path, {"contracten": CONTRACTEN, "Tarieven": TARIEVEN})
    with pytest.raises(FileUnreadable, match=r"contracten\.xlsx: missing sheet\(s\) kpi \(sheets: contracten, Tarieven\)"):
        read_contracten(path)


def test_workbook_sheet_missing_a_column_is_unreadable(tmp_path):
    path = workbook(tmp_path, {"contracten": CONTRACTEN, "tarieven": [row[:4] for row in TARIEVEN], "kpi": KPI})
    with pytest.raises(FileUnreadable, match=r"missing column\(s\) tarief_eur \(sheet tarieven row 1\)"):
        read_contracten(path)


def test_workbook_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    path = workbook(tmp_path, {"contracten": CONTRACTEN, "tarieven": TARIEVEN, "kpi": KPI})
    monkeypatch.setattr(xlsx, "MAX_XLSX_BYTES", path.stat().st_size - 1)
    with pytest.raises(FileUnreadable, match=r"over the 0 MB limit"):
        read_contracten(path)


def test_broken_workbook_is_unreadable(tmp_path):
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(FileUnreadable, match=r"kapot\.xlsx: not a readable XLSX workbook"):
        read_contracten(path)
