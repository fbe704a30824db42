"""Tiny builders of iStandaard 3.2 messages for tests: small, hand-checkable, XSD-valid by default.

Each returns the XML as text. A Prestatie is a dict with the fields the test cares about; the rest
defaults. Amounts are cents. ``std`` is "ijw" or "iwmo".
"""

from __future__ import annotations

from xml.sax.saxutils import escape

BERICHTCODE = {("ijw", "301"): 436, ("ijw", "305"): 438, ("ijw", "307"): 440, ("ijw", "323"): 490,
               ("ijw", "325"): 491, ("iwmo", "301"): 414, ("iwmo", "305"): 418, ("iwmo", "307"): 420,
               ("iwmo", "323"): 484, ("iwmo", "325"): 485}
VALID_BSN = ("111222333", "123456782", "999999990", "100000009")  # all pass the 11-proef


def _ns(std: str, code: str) -> tuple[str, str]:
    prefix = "jw" if std == "ijw" else "wmo"
    return (f"http://www.istandaarden.nl/{std}/3_2/{prefix}{code}/schema",
            f"http://www.istandaarden.nl/{std}/3_2/basisschema/schema")


def _header(std: str, code: str, afzender: str, ontvanger: str, ident: str, datum: str, extra: str = "") -> str:
    return (f"<Header><BerichtCode>{BERICHTCODE[std, code]}</BerichtCode><BerichtVersie>3</BerichtVersie>"
            f"<BerichtSubversie>2</BerichtSubversie><Afzender>{afzender}</Afzender><Ontvanger>{ontvanger}</Ontvanger>"
            f"<BerichtIdentificatie><b:Identificatie>{ident}</b:Identificatie><b:Dagtekening>{datum}</b:Dagtekening>"
            f"</BerichtIdentificatie><XsdVersie><b:BasisschemaXsdVersie>1.0.0</b:BasisschemaXsdVersie>"
            f"<b:BerichtXsdVersie>1.0.0</b:BerichtXsdVersie></XsdVersie>{extra}</Header>")


def _wrap(std: str, code: str, body: str) -> str:
    ns, base = _ns(std, code)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<Bericht xmlns="{ns}" xmlns:b="{base}">\n{body}\n</Bericht>\n'


def prestatie(ref: str, *, vorig: str | None = None, categorie: str = "45", code: str = "45A03",
              begin: str = "2024-03-01", eind: str = "2024-03-31", volume: int = 10, eenheid: str = "04",
              tarief: int | None = 10000, bedrag: int | None = None, dc: str = "D", toewijzing: int = 1) -> dict:
    amount = bedrag if bedrag is not None else volume * (tarief or 0)
    return dict(ref=ref, vorig=vorig, categorie=categorie, code=code, begin=begin, eind=eind,
                volume=volume, eenheid=eenheid, tarief=tarief, bedrag=amount, dc=dc, toewijzing=toewijzing)


def _prestatie_xml(p: dict, retourcodes: tuple[str, ...] = ()) -> str:
    vorig = f"<b:VorigReferentieNummer>{p['vorig']}</b:VorigReferentieNummer>" if p["vorig"] else ""
    tarief = f"<ProductTarief>{p['tarief']}</ProductTarief>" if p["tarief"] is not None else ""
    codes = ("<RetourCodes>" + "".join(f"<RetourCode>{c}</RetourCode>" for c in retourcodes) + "</RetourCodes>"
             if retourcodes else "")
    return (f"<Prestatie><ProductReferentie><b:ReferentieNummer>{p['ref']}</b:ReferentieNummer>{vorig}"
            f"</ProductReferentie><ToewijzingNummer>{p['toewijzing']}</ToewijzingNummer>"
            f"<ProductCategorie>{p['categorie']}</ProductCategorie><ProductCode>{p['code']}</ProductCode>"
            f"<ProductPeriode><b:Begindatum>{p['begin']}</b:Begindatum><b:Einddatum>{p['eind']}</b:Einddatum>"
            f"</ProductPeriode><GeleverdVolume>{p['volume']}</GeleverdVolume><Eenheid>{p['eenheid']}</Eenheid>"
            f"{tarief}<IngediendBedrag><b:Bedrag>{p['bedrag']}</b:Bedrag><b:DebetCredit>{p['dc']}</b:DebetCredit>"
            f"</IngediendBedrag>{codes}</Prestatie>")


def declaratie(clients: dict[str, list[dict]], *, std: str = "ijw", agb: str = "12345678", gemeente: str = "0361",
               nummer: str = "D1", ident: str = "B1", periode: tuple[str, str] = ("2024-03-01", "2024-03-31"),
               datum: str = "2024-04-05") -> str:
    """A JW323/WMO323 from {bsn: [prestatie, ...]}."""
    total = sum(p["bedrag"] * (1 if p["dc"] == "D" else -1) for ps in clients.values() for p in ps)
    body = "".join(f"<Client><Bsn>{bsn}</Bsn><Prestaties>{''.join(_prestatie_xml(p) for p in ps)}</Prestaties></Client>"
                   for bsn, ps in clients.items())
    return _wrap(std, "323", _header(std, "323", agb, gemeente, ident, datum) + (
        f"<Declaratie><DeclaratieNummer>{nummer}</DeclaratieNummer><DeclaratiePeriode><b:Begindatum>{periode[0]}"
        f"</b:Begindatum><b:Einddatum>{periode[1]}</b:Einddatum></DeclaratiePeriode>"
        f"<DeclaratieDagtekening>{datum}</DeclaratieDagtekening><TotaalIngediendBedrag><b:TotaalBedrag>{abs(total)}"
        f"</b:TotaalBedrag><b:DebetCredit>{'D' if total >= 0 else 'C'}</b:DebetCredit></TotaalIngediendBedrag>"
        f"<Clienten>{body}</Clienten></Declaratie>"))


def antwoord(rejected: dict[str, list[tuple[dict, tuple[str, ...]]]], *, std: str = "ijw", agb: str = "12345678",
             gemeente: str = "0361", nummer: str | None = "D1", declaratie_ident: str = "B1", ident: str = "A1",
             ingediend: int = 0, toegekend: int = 0, kop: tuple[str, ...] = ("0200",),
             datum: str = "2024-04-20") -> str:
    """A JW325/WMO325 listing rejected prestaties per bsn; ``nummer=None`` rejects the whole message."""
    extra = (f"<DeclaratieIdentificatie><b:Identificatie>{declaratie_ident}</b:Identificatie><b:Dagtekening>"
             f"2024-04-05</b:Dagtekening></DeclaratieIdentificatie><XsdVersieDeclaratie><b:BasisschemaXsdVersie>"
             f"1.0.0</b:BasisschemaXsdVersie><b:BerichtXsdVersie>1.0.0</b:BerichtXsdVersie></XsdVersieDeclaratie>"
             "<RetourCodes>" + "".join(f"<RetourCode>{c}</RetourCode>" for c in kop) + "</RetourCodes>")
    body = _header(std, "325", gemeente, agb, ident, datum, extra)
    if nummer is not None:
        clients = "".join(
            f"<Client><Bsn>{bsn}</Bsn><Prestaties>{''.join(_prestatie_xml(p, codes) for p, codes in ps)}</Prestaties>"
            "<RetourCodes><RetourCode>0200</RetourCode></RetourCodes></Client>" for bsn, ps in rejected.items())
        body += (f"<DeclaratieAntwoord><DeclaratieNummer>{nummer}</DeclaratieNummer>"
                 f"<TotaalIngediendBedrag><b:TotaalBedrag>{ingediend}</b:TotaalBedrag><b:DebetCredit>D</b:DebetCredit>"
                 f"</TotaalIngediendBedrag><TotaalToegekendBedrag><b:TotaalBedrag>{toegekend}</b:TotaalBedrag>"
                 f"<b:DebetCredit>D</b:DebetCredit></TotaalToegekendBedrag>"
                 + (f"<Clienten>{clients}</Clienten>" if clients else "")
                 + "<RetourCodes><RetourCode>0200</RetourCode></RetourCodes></DeclaratieAntwoord>")
    return _wrap(std, "325", body)


def _person(bsn: str, naam: str = "Jansen") -> str:
    return (f"<Bsn>{bsn}</Bsn><Geboortedatum><b:Datum>2012-05-01</b:Datum></Geboortedatum><Geslacht>1</Geslacht>"
            f"<Naam><b:Geslachtsnaam><b:Achternaam>{escape(naam)}</b:Achternaam></b:Geslachtsnaam>")


def start(bsn: str, products: list[dict], *, std: str = "ijw", agb: str = "12345678", gemeente: str = "0361",
          ident: str = "S1", datum: str = "2024-03-02") -> str:
    """A JW305/WMO305; each product dict: toewijzing, categorie, code, begin, status."""
    items = "".join(
        f"<StartProduct><ToewijzingNummer>{p.get('toewijzing', 1)}</ToewijzingNummer><Product><b:Categorie>"
        f"{p.get('categorie', '45')}</b:Categorie><b:Code>{p.get('code', '45A03')}</b:Code></Product>"
        f"<Begindatum>{p['begin']}</Begindatum><StatusAanlevering>{p.get('status', '1')}</StatusAanlevering>"
        "</StartProduct>" for p in products)
    return _wrap(std, "305", _header(std, "305", agb, gemeente, ident, datum)
                 + f"<Client>{_person(bsn)}</Naam><StartProducten>{items}</StartProducten></Client>")


def stop(bsn: str, products: list[dict], *, std: str = "ijw", agb: str = "12345678", gemeente: str = "0361",
         ident: str = "E1", datum: str = "2024-09-02") -> str:
    """A JW307/WMO307; each product dict: toewijzing, categorie, code, begin, reden, eind, status."""
    items = "".join(
        f"<StopProduct><ToewijzingNummer>{p.get('toewijzing', 1)}</ToewijzingNummer><Product><b:Categorie>"
        f"{p.get('categorie', '45')}</b:Categorie><b:Code>{p.get('code', '45A03')}</b:Code></Product>"
        f"<Begindatum>{p['begin']}</Begindatum><RedenBeeindiging>{p['reden']}</RedenBeeindiging>"
        f"<Einddatum>{p['eind']}</Einddatum><StatusAanlevering>{p.get('status', '1')}</StatusAanlevering>"
        "</StopProduct>" for p in products)
    return _wrap(std, "307", _header(std, "307", agb, gemeente, ident, datum)
                 + f"<Client>{_person(bsn)}</Naam><StopProducten>{items}</StopProducten></Client>")


def toewijzing(bsn: str, products: list[dict], *, std: str = "ijw", agb: str = "12345678", gemeente: str = "0361",
               ident: str = "T1", datum: str = "2024-02-20") -> str:
    """A JW301/WMO301; each product dict: toewijzing, categorie, code, begin, eind, volume, eenheid."""
    items = "".join(
        f"<ToegewezenProduct><ToewijzingNummer>{p.get('toewijzing', 1)}</ToewijzingNummer><Product><b:Categorie>"
        f"{p.get('categorie', '45')}</b:Categorie><b:Code>{p.get('code', '45A03')}</b:Code></Product>"
        f"<Toewijzingsdatum>{p.get('datum', datum)}</Toewijzingsdatum><Toewijzingstijd>10:00:00</Toewijzingstijd>"
        f"<Ingangsdatum>{p['begin']}</Ingangsdatum>" + (f"<Einddatum>{p['eind']}</Einddatum>" if p.get("eind") else "")
        + f"<Omvang><b:Volume>{p.get('volume', 10)}</b:Volume><b:Eenheid>{p.get('eenheid', '04')}</b:Eenheid>"
        f"<b:Frequentie>{p.get('frequentie', '4')}</b:Frequentie></Omvang></ToegewezenProduct>" for p in products)
    return _wrap(std, "301", _header(std, "301", gemeente, agb, ident, datum)
                 + f"<Client>{_person(bsn)}<b:NaamGebruik>1</b:NaamGebruik></Naam><Contactgegevens><Contact>"
                 f"<Soort>01</Soort></Contact></Contactgegevens><ToegewezenProducten>{items}</ToegewezenProducten>"
                 "</Client>")
