"""The maturity-scan reader: spellings it accepts, every bad row with its line, CSV and XLSX, the region folder.

Every test also checks that each data row of the input was either loaded or rejected.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from analysis.readers import FileUnreadable
from analysis.readers.volwassenheid import read_volwassenheid

HEADER = "respondent;organisatie;organisatie_soort;organisatie_code;rol;model;pijler;vraag;huidig;ambitie;ingevuld"


def write(tmp_path: Path, text: str, *, folder: str = "volwassenheid/noord-kennemerland", name: str = "scan.csv",
          encoding: str = "utf-8") -> Path:
    path = tmp_path / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def by_where(result) -> dict[str, str]:
    return {reject.where: reject.reason for reject in result.rejects}


def test_windows1252_semicolons_and_the_spellings_a_survey_tool_uses(tmp_path):
    text = (
        HEADER + "\n"
        "R1;Alkmaar;Gemeente;361;beleidsadviseur;KMM;  Strategie &  Beleidsvorming ;K-01;2;3;01-10-2025\n"
        "R1;Alkmaar;gemeente;GM0361;beleidsadviseur;Keten Maturity Model;it;K-07;1;3;2025-10-01\n"
        "R2;Zorggroep Céleste;AANBIEDER;12345678;;kmm;Mens en cultuur;K-09;4;3;2-10-2025\n"  # ambitie below huidig
        "R3;Regionaal inkoopbureau;regio;noord-kennemerland;inkoper;Inkoopontwikkelmodel;Sturing & methodologie;"
        "I-09;6;6;03-10-2025\n"
    )
    result = read_volwassenheid(write(tmp_path, text, encoding="cp1252"))
    rows = result.tables["volwassenheid"]
    assert result.kind == "volwassenheid" and result.rejects == [] and result.rows_read == 4
    assert rows["regio"].unique().tolist() == ["Noord-Kennemerland"]  # from the folder
    assert rows["organisatie_code"].tolist() == ["GM0361", "GM0361", "12345678", "noord-kennemerland"]
    assert rows["organisatie_soort"].tolist() == ["gemeente", "gemeente", "aanbieder", "regio"]
    assert rows["model"].tolist() == ["kmm", "kmm", "kmm", "inkoopontwikkelmodel"]
    assert rows["pijler"].tolist() == ["strategie en beleidsvorming", "IT", "mens en cultuur", "sturing en methodologie"]
    assert rows["huidig"].tolist() == [2, 1, 4, 6] and rows["ambitie"].tolist() == [3, 3, 3, 6]
    assert rows["ingevuld"].tolist() == [dt.date(2025, 10, d) for d in (1, 1, 2, 3)]
    assert rows["organisatie"].tolist()[2] == "Zorggroep Céleste" and rows["rol"].isna().tolist()[2]
    assert rows["waar"].tolist() == ["line 2", "line 3", "line 4", "line 5"]
    assert any("Windows-1252" in note for note in result.notes)


def test_every_bad_row_is_rejected_at_once_with_its_line_and_reason(tmp_path):
    text = (
        HEADER + "\n"
        "R1;Alkmaar;gemeente;GM0361;;kmm;IT;K-07;5;4;2025-10-01\n"            # 2: level outside the KMM scale
        "R1;Alkmaar;gemeente;GM0361;;kmm;inkoopproces;K-08;2;3;2025-10-01\n"  # 3: a pillar of the other model
        "R1;Alkmaar;gemeente;GM0361;;kmm;financiën;K-09;2;3;2025-10-01\n"     # 4: no pillar at all
        "R2;Regio;regio;noord-kennemerland;;inkoopontwikkelmodel;strategie;I-01;6;7;2025-10-01\n"  # 5: 7 > 6
        "R2;Regio;regio;noord-kennemerland;;BMM;strategie;I-01;2;3;2025-10-01\n"  # 6: unknown model
        "R3;Zorg;leverancier;12345678;;kmm;IT;K-07;2;3;2025-10-01\n"          # 7: unknown soort
        "R3;Zorg;aanbieder;1234567;;kmm;IT;K-07;2;3;2025-10-01\n"             # 8: not an AGB code
        "R4;Regio;regio;noord-limburg;;kmm;IT;K-07;2;3;2025-10-01\n"          # 9: another region's office
        "R5;Alkmaar;gemeente;GM0361;;kmm;IT;K-07;0;2,5;31-02-2025\n"          # 10: 0, 2,5 and no date
        "R5;Alkmaar;gemeente;GM0361;;kmm;IT;K-07;2;3\n"                       # 11: a field short
        "R6;Alkmaar;gemeente;GM0361;;kmm;IT;K-07;2;3;2025-10-01\n"            # 12: fine
    )
    result = read_volwassenheid(write(tmp_path, text))
    reasons = by_where(result)
    assert len(result.tables["volwassenheid"]) == 1 and result.rows_read == 11
    assert reasons["line 2"] == "huidig: level outside the kmm scale 1-4 ('5')"
    assert reasons["line 3"].startswith("pijler: not a pillar of kmm (strategie en beleidsvorming, ") and \
        reasons["line 3"].endswith("('inkoopproces')")
    assert reasons["line 4"].endswith("('financiën')")
    assert reasons["line 5"] == "ambitie: level outside the inkoopontwikkelmodel scale 1-6 ('7')"
    assert reasons["line 6"] == "model: not one of kmm, inkoopontwikkelmodel ('BMM')"
    assert reasons["line 7"] == "organisatie_soort: not one of gemeente, regio, aanbieder ('leverancier')"
    assert reasons["line 8"].startswith("organisatie_code does not fit organisatie_soort")
    assert reasons["line 9"].startswith("organisatie_code does not fit organisatie_soort")
    assert reasons["line 10"] == ("huidig: level outside the kmm scale 1-4 ('0'); ambitie: not a whole number "
                                  "('2,5'); ingevuld: not a calendar date ('31-02-2025')")
    assert reasons["line 11"] == "expected 11 fields, found 10"
    assert list(reasons) == [f"line {n}" for n in range(2, 12)]  # in file order


def test_the_same_answer_twice_passes_the_reader(tmp_path):
    """Repeats and conflicts are judged across files, in the warehouse (tests/test_volwassenheid.py)."""
    line = "R1;Alkmaar;gemeente;GM0361;;kmm;IT;K-07;2;3;2025-10-01\n"
    result = read_volwassenheid(write(tmp_path, HEADER + "\n" + line + line))
    assert len(result.tables["volwassenheid"]) == 2 and result.rejects == []


def test_xlsx_export_read_from_the_sheet_with_the_columns(tmp_path):
    path = tmp_path / "volwassenheid" / "noord-limburg" / "export.xlsx"
    path.parent.mkdir(parents=True)
    workbook = openpyxl.Workbook()
    workbook.active.title = "Toelichting"
    workbook.active.append(["Export van de vragenlijst, oktober 2025"])
    answers = workbook.create_sheet("Antwoorden")
    answers.append(HEADER.split(";"))
    answers.append(["R1", "Venlo", "gemeente", "GM0983", "controller", "KMM", "IT", "K-07", 2, 3.0,
                    dt.datetime(2025, 10, 6)])
    answers.append(["R1", "Venlo", "gemeente", "GM0983", "controller", "KMM", "IT", "K-08", 9, 3,
                    dt.datetime(2025, 10, 6)])
    workbook.save(path)
    result = read_volwassenheid(path)
    rows = result.tables["volwassenheid"]
    assert rows[["regio", "organisatie_code", "huidig", "ambitie"]].values.tolist() == [["Noord Limburg", "GM0983", 2, 3]]
    assert rows["ingevuld"].tolist() == [dt.date(2025, 10, 6)] and rows["waar"].tolist() == ["sheet Antwoorden row 2"]
    assert by_where(result) == {"sheet Antwoorden row 3": "huidig: level outside the kmm scale 1-4 ('9')"}
    assert "ignored sheet(s): Toelichting" in result.notes


@pytest.mark.parametrize(("folder", "message"), [
    ("volwassenheid", "not in a folder of a jeugdzorgregio"),
    ("elders/noord-kennemerland", "not in a folder of a jeugdzorgregio"),
    ("volwassenheid/noord-holland", "folder 'noord-holland' is not a jeugdzorgregio"),
])
def test_a_file_outside_a_region_folder_is_unreadable(tmp_path, folder, message):
    path = write(tmp_path, HEADER + "\nR1;Alkmaar;gemeente;GM0361;;kmm;IT;K-07;2;3;2025-10-01\n", folder=folder)
    with pytest.raises(FileUnreadable, match=message):
        read_volwassenheid(path)


def test_a_missing_column_is_unreadable(tmp_path):
    path = write(tmp_path, HEADER.replace(";ambitie", "") + "\nR1;Alkmaar;gemeente;GM0361;;kmm;IT;K-07;2;2025-10-01\n")
    with pytest.raises(FileUnreadable, match=r"missing column\(s\) ambitie \(line 1\)"):
        read_volwassenheid(path)
