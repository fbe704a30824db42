"""The demo's own small world: regions, gemeenten, products, percelen and name lists.

This is demo data, not reference data: inhabitants are rounded real-ish magnitudes of 1 January
2019, tariffs are plausible 2019 contract tariffs in cents. The product's reference tables live in
``analysis.reference``; nothing here should be read as official.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FIRST_MONTH = dt.date(2019, 1, 1)  # first declaration period
LAST_MONTH = dt.date(2025, 12, 1)  # last declaration period
HISTORY_START = dt.date(2011, 1, 1)  # care may have started this early (a stock in 2019)
DECENTRALISATIE = dt.date(2015, 1, 1)  # Jeugdwet / Wmo 2015: earlier care got a toewijzing on this day
DATA_DATE = dt.date(2026, 1, 15)  # extraction date: no message is dated later
PENDING_MONTHS = 2  # the last two declaration periods have no 325 yet
MERGER_DATE = dt.date(2022, 1, 1)
YEARS = tuple(range(2019, 2026))

DOMAINS = ("Jeugd", "Wmo", "Beschermd Wonen")


@dataclass(frozen=True)
class Gemeente:
    """A gemeente as the demo knows it: CBS code, inhabitants on 1-1-2019, share aged 0-17."""

    code: str  # four digits, as in iStandaard messages
    naam: str
    inwoners_2019: int
    aandeel_jeugd: float  # share of inhabitants aged 0-17
    opgeheven: dt.date | None = None  # merged away on this date
    opvolger: str | None = None  # code of the successor
    ontstaan: dt.date | None = None  # created on this date (by a merger)
    vraag_inwoners: int | None = None  # inhabitants (1-1-2019) whose demand is drawn, when not inwoners_2019

    @property
    def vraag_2019(self) -> int:
        """The inhabitants on 1-1-2019 that the demand (new clients) is drawn for."""
        return self.vraag_inwoners or self.inwoners_2019

    @property
    def cbs(self) -> str:
        """CBS code, e.g. ``GM0361``."""
        return f"GM{self.code}"

    def valid_on(self, day: dt.date) -> bool:
        """True when the gemeente exists on ``day``."""
        return (self.ontstaan is None or day >= self.ontstaan) and (
            self.opgeheven is None or day < self.opgeheven
        )


@dataclass(frozen=True)
class Region:
    """A jeugdzorgregio as used in the contracts: its name, a short id and its gemeenten."""

    naam: str  # as in the CBS jeugdzorgregio table
    slug: str  # folder name and contract id prefix
    prefix: str  # two letters for contract ids
    gemeenten: tuple[Gemeente, ...]
    centrumgemeente: str
    export_als: str | None = None  # prefix of the seed region whose file formats this region writes

    @property
    def formaat(self) -> str:
        """``NK`` or ``NL``: whose export formats (encodings, separators, contract files) the region uses."""
        return self.export_als or self.prefix


NOORD_KENNEMERLAND = Region(
    naam="Noord-Kennemerland",
    slug="noord-kennemerland",
    prefix="NK",
    centrumgemeente="0361",
    gemeenten=(
        Gemeente("0361", "Alkmaar", 109_000, 0.20),
        Gemeente("0373", "Bergen (NH.)", 29_900, 0.17),
        Gemeente("0383", "Castricum", 35_600, 0.20),
        Gemeente("0399", "Heiloo", 23_200, 0.21),
        Gemeente("0450", "Uitgeest", 13_500, 0.22),
        Gemeente("0398", "Heerhugowaard", 56_600, 0.22, MERGER_DATE, "1980"),
        Gemeente("0416", "Langedijk", 28_100, 0.21, MERGER_DATE, "1980"),
        Gemeente("1980", "Dijk en Waard", 85_500, 0.215, ontstaan=MERGER_DATE),
    ),
)

NOORD_LIMBURG = Region(
    naam="Noord Limburg",
    slug="noord-limburg",
    prefix="NL",
    centrumgemeente="0983",
    gemeenten=(
        Gemeente("0889", "Beesel", 13_400, 0.17),
        Gemeente("0893", "Bergen (L.)", 13_100, 0.16),
        Gemeente("0907", "Gennep", 17_100, 0.18),
        Gemeente("1507", "Horst aan de Maas", 42_300, 0.20),
        Gemeente("1894", "Peel en Maas", 43_300, 0.20),
        Gemeente("0983", "Venlo", 101_200, 0.18),
        Gemeente("0984", "Venray", 43_600, 0.19),
    ),
)

REGIONS = (NOORD_KENNEMERLAND, NOORD_LIMBURG)


@dataclass(frozen=True)
class Product:
    """A product the demo declares, with its 2019 tariff (cents per unit) and usage profile."""

    code: str  # iJw standard productcode or a regional iWmo code, at most 5 characters
    categorie: str  # JZ020 / WMO020 productcategorie
    domein: str
    perceel: str
    eenheid: str  # WJ756: 04 uur, 14 etmaal, 16 dagdeel, 82 stuks, 83 euro's
    tarief_2019: int  # cents per unit (for eenheid 83: 100, one euro)
    volume_per_maand: float  # mean units in a full month
    duur_maanden: float  # mean planned duration
    gewicht: float  # share of new trajectories within the domain


PRODUCTS = (
    Product("45A04", "45", "Jeugd", "Jeugdhulp ambulant", "04", 8_500, 6, 8, 0.31),
    Product("45A05", "45", "Jeugd", "Jeugdhulp ambulant", "04", 11_000, 5, 10, 0.22),
    Product("45A06", "45", "Jeugd", "Jeugdhulp ambulant", "04", 11_500, 8, 3, 0.12),
    Product("41A03", "41", "Jeugd", "Dagbehandeling", "16", 9_500, 12, 12, 0.07),
    Product("43A07", "43", "Jeugd", "Jeugdhulp met verblijf", "14", 26_000, 30, 14, 0.06),
    Product("44A07", "44", "Jeugd", "Pleegzorg en gezinshuizen", "14", 6_500, 30, 30, 0.04),
    Product("44A08", "44", "Jeugd", "Pleegzorg en gezinshuizen", "14", 19_000, 30, 24, 0.03),
    Product("46A01", "46", "Jeugd", "Crisis", "04", 12_000, 10, 2, 0.08),
    Product("47A01", "47", "Jeugd", "Jeugdreclassering", "82", 115_000, 1, 9, 0.06),
    Product("01A01", "01", "Wmo", "Hulp bij het huishouden", "04", 3_000, 14, 30, 0.40),
    Product("02A01", "02", "Wmo", "Begeleiding", "04", 6_200, 10, 18, 0.25),
    Product("02A02", "02", "Wmo", "Begeleiding", "04", 7_500, 6, 12, 0.08),
    Product("07A01", "07", "Wmo", "Dagbesteding", "16", 4_500, 10, 24, 0.12),
    Product("04A01", "04", "Wmo", "Kortdurend verblijf", "14", 15_000, 4, 6, 0.05),
    Product("10A01", "10", "Wmo", "Maatwerkarrangementen", "83", 100, 400, 6, 0.10),
    Product("15A01", "15", "Beschermd Wonen", "Beschermd wonen", "14", 14_000, 30, 30, 0.45),
    Product("15A02", "15", "Beschermd Wonen", "Beschermd wonen", "14", 18_500, 30, 24, 0.15),
    Product("16A01", "16", "Beschermd Wonen", "Opvang", "14", 9_500, 30, 5, 0.20),
    Product("18A01", "18", "Beschermd Wonen", "Ambulante begeleiding BW", "04", 7_000, 6, 12, 0.20),
)

PERCELEN = tuple(dict.fromkeys((p.domein, p.perceel) for p in PRODUCTS))

# New trajectories a year per 1,000 inhabitants of the domain's age band, in 2019 (scale 1),
# and their growth a year. Calibrated so the Alkmaar region lands near EUR 130 million in 2019-2021.
START_RATE = {"Jeugd": 70.0, "Wmo": 14.0, "Beschermd Wonen": 1.6}
START_GROWTH = 0.035  # demand growth a year
PRODUCTS_PER_CLIENT = (0.75, 0.20, 0.05)  # probability of 1, 2 or 3 products (~1.3)
POPULATION_GROWTH = 0.005  # inhabitants a year
INCOME_GROWTH = 0.03  # rijksmiddelen a year

AANBIEDERS_PER_REGION = 220  # at scale 1; about 1.9 percelen x 2 contract periods each

# Reden beeindiging: iJw (JZ588) and iWmo (WMO588) use different codes for the same outcomes.
REDEN_JEUGD = {"plan": ("31",), "voortijdig": ("32", "33", "34", "35"), "overig": ("02", "20", "38", "39")}
REDEN_WMO = {"plan": ("19",), "voortijdig": ("21", "22", "23"), "overig": ("02", "31", "38", "39")}
REDEN_OVERSTAP = "38"  # overstap naar andere aanbieder, same code in both standards

NAAM_STAMMEN = (
    "De Linde", "Het Baken", "Noorderlicht", "De Brug", "Kompas", "Horizon", "De Kei", "Maasduinen",
    "Duinstreek", "Polderland", "Zeeduin", "Peelland", "'t Anker", "Sint Jozef", "De Zonnebloem",
    "Dijkzicht", "Réveil", "Élan", "De Wielewaal", "Buitenzorg", "Kennemerhart", "Maaskracht",
    "De Vonk", "Lindenhof", "Oostergouw", "Hoeve Bréda", "De Bolder", "Zonnehoek", "Het Veer",
    "Westerweel", "De Schakel", "Kruispunt", "Mozaïek", "Vitaal", "Samen Sterk", "Ankerpunt",
)
NAAM_SOORTEN = {
    "Jeugd": ("Jeugdhulp", "Stichting", "Gezinsbegeleiding", "Jeugdzorg", "Praktijk"),
    "Wmo": ("Thuiszorg", "Zorggroep", "Stichting", "Dagbesteding", "Thuishulp"),
    "Beschermd Wonen": ("Woonzorg", "Stichting", "Leger des Heils", "Zorggroep", "Begeleid Wonen"),
}
VASTE_NAMEN = ("Jeugd & Gezin Noord", "Zorggroep Céleste")  # always present, in both regions

ACHTERNAMEN = (
    ("Jansen", None), ("Bakker", None), ("Visser", None), ("Smit", None), ("Meijer", None),
    ("Berg", "van den"), ("Dijk", "van"), ("Vries", "de"), ("Boer", "de"), ("Mulder", None),
    ("Groot", "de"), ("Bos", None), ("Vos", None), ("Peters", None), ("Hendriks", None),
    ("Leeuwen", "van"), ("Dekker", None), ("Brouwer", None), ("Wit", "de"), ("Dijkstra", None),
    ("Smits", None), ("Graaf", "de"), ("Linden", "van der"), ("Kok", None), ("Jacobs", None),
    ("Haan", "de"), ("Vermeulen", None), ("Heuvel", "van den"), ("Veen", "van der"), ("Çelik", None),
    ("Yılmaz", None), ("El Amrani", None), ("Nguyen", None), ("Gerrits", None), ("Willems", None),
)
VOORLETTERS = ("A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "P", "R",
               "S", "T", "W", "Y", "AM", "JP", "MC", "HJ", "Ö", "É")
