"""iJw / iWmo 3.2 XML writers (301, 305, 307, 323, 325), plain string templates, one file each.

Element order, namespaces, BerichtCode and XsdVersie follow the XSDs of iStandaarden 3.2: message
elements in the message namespace (default), children of basisschema types (``CDT_*``) in the
basisschema namespace. WMO325 has no published XSD in the reference set: it mirrors JW325.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

from analysis.demo import config
from analysis.demo.config import Region
from analysis.demo.declarations import Declaraties, gemeente_op
from analysis.demo.market import Aanbieder
from analysis.demo.population import Clients, Trajectories

BERICHTCODE = {
    "JW301": "436", "JW305": "438", "JW307": "440", "JW323": "490", "JW325": "491",
    "WMO301": "414", "WMO305": "418", "WMO307": "420", "WMO323": "484", "WMO325": "485",
}
XSD_VERSIE = {"ijw": ("0.1.0", "0.1.0"), "iwmo": ("1.0.0", "1.0.0")}  # (basisschema, bericht)
ID_LETTER = {"301": "T", "305": "S", "307": "E", "323": "B", "325": "A"}


@dataclass(frozen=True)
class Kind:
    """A message kind: standard (ijw / iwmo) and number, e.g. ``Kind("ijw", "323")``."""

    std: str
    num: str

    @property
    def name(self) -> str:
        """``JW323`` or ``WMO323``."""
        return ("JW" if self.std == "ijw" else "WMO") + self.num

    @property
    def b(self) -> str:
        """Prefix of the basisschema namespace."""
        return self.std

    def root(self) -> str:
        """XML declaration and the opening ``Bericht`` tag with both namespaces."""
        base = f"http://www.istandaarden.nl/{self.std}/3_2"
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Bericht xmlns="{base}/{self.name.lower()}/schema" '
                f'xmlns:{self.b}="{base}/basisschema/schema">\n')

    def xsd_versie(self, tag: str = "XsdVersie") -> str:
        """The ``XsdVersie`` block (or ``XsdVersieDeclaratie``) with this standard's versions."""
        basis, bericht = XSD_VERSIE[self.std]
        b = self.b
        return (f"<{tag}><{b}:BasisschemaXsdVersie>{basis}</{b}:BasisschemaXsdVersie>"
                f"<{b}:BerichtXsdVersie>{bericht}</{b}:BerichtXsdVersie></{tag}>\n")

    def header(self, afzender: str, ontvanger: str, ident: str, dag: str) -> str:
        """Header elements common to every message, without the closing tag."""
        b = self.b
        return (f"<Header>\n<BerichtCode>{BERICHTCODE[self.name]}</BerichtCode>\n<BerichtVersie>3</BerichtVersie>\n"
                f"<BerichtSubversie>2</BerichtSubversie>\n<Afzender>{afzender}</Afzender>\n"
                f"<Ontvanger>{ontvanger}</Ontvanger>\n<BerichtIdentificatie><{b}:Identificatie>{ident}"
                f"</{b}:Identificatie><{b}:Dagtekening>{dag}</{b}:Dagtekening></BerichtIdentificatie>\n"
                + self.xsd_versie())


def kind_of(domein: str, num: str) -> Kind:
    """iJw for Jeugd, iWmo for Wmo and Beschermd Wonen."""
    return Kind("ijw" if domein == "Jeugd" else "iwmo", num)


def _path(out: Path, region: Region, kind: Kind, dag: str, ident: str) -> Path:
    """``istandaard/<region>/<kind>/<year>/<KIND>_<id>.xml``."""
    return out / "istandaard" / region.slug / kind.name / dag[:4] / f"{kind.name}_{ident}.xml"


def _write(path: Path, text: str) -> int:
    """Write ``text`` as UTF-8, creating folders; returns the size in bytes."""
    data = text.encode("utf-8")
    try:
        path.write_bytes(data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return len(data)


# --- client messages: 301, 305, 307 ----------------------------------------------------------------

def _naam(b: str, achternaam: int, voorletters: int, *, volledig: bool) -> str:
    """A ``Naam`` block: Geslachtsnaam (Achternaam, Voorvoegsel), Voorletters, NaamGebruik."""
    naam, vv = config.ACHTERNAMEN[achternaam]
    vv_xml = f"<{b}:Voorvoegsel>{vv}</{b}:Voorvoegsel>" if vv else ""
    gebruik = f"<{b}:NaamGebruik>1</{b}:NaamGebruik>" if volledig else ""
    return (f"<Naam><{b}:Geslachtsnaam><{b}:Achternaam>{escape(naam)}</{b}:Achternaam>{vv_xml}"
            f"</{b}:Geslachtsnaam><{b}:Voorletters>{config.VOORLETTERS[voorletters]}</{b}:Voorletters>"
            f"{gebruik}</Naam>\n")


def _client(b: str, bsn: str, geboren: str, geslacht: int, naam: str) -> str:
    """Bsn, Geboortedatum, Geslacht and Naam of a client."""
    return (f"<Client>\n<Bsn>{bsn}</Bsn>\n<Geboortedatum><{b}:Datum>{geboren}</{b}:Datum></Geboortedatum>\n"
            f"<Geslacht>{geslacht}</Geslacht>\n{naam}")


def _product(b: str, prod: config.Product) -> str:
    """A ``Product`` block (Categorie, Code)."""
    return f"<Product><{b}:Categorie>{prod.categorie}</{b}:Categorie><{b}:Code>{prod.code}</{b}:Code></Product>"


def _contact(b: str, plaats: str, huisnummer: int) -> str:
    """Contactgegevens with one BRP address (Soort 01)."""
    return (f"<Contactgegevens><Contact><Soort>01</Soort><Adres><{b}:Huis><{b}:Huisnummer>{huisnummer}"
            f"</{b}:Huisnummer></{b}:Huis><{b}:Postcode>1800AA</{b}:Postcode><{b}:Straatnaam>Dorpsstraat"
            f"</{b}:Straatnaam><{b}:Plaatsnaam>{escape(plaats)}</{b}:Plaatsnaam></Adres></Contact>"
            f"</Contactgegevens>\n")


def _omvang(b: str, prod: config.Product, intensiteit: float, maanden: float) -> str:
    """Omvang per month (04/16/82), per week for etmaal, or a Budget in cents for eenheid 83."""
    if prod.eenheid == "83":
        return f"<Budget>{int(np.ceil(prod.volume_per_maand * intensiteit * 1.2 * maanden)) * 100}</Budget>"
    volume, freq = {"14": (7, "2"), "82": (1, "4")}.get(
        prod.eenheid, (int(np.ceil(prod.volume_per_maand * intensiteit * 1.25)), "4"))
    return (f"<Omvang><{b}:Volume>{volume}</{b}:Volume><{b}:Eenheid>{prod.eenheid}</{b}:Eenheid>"
            f"<{b}:Frequentie>{freq}</{b}:Frequentie></Omvang>")


PLAATS = re.compile(r"\s*\(.*\)")


@dataclass
class ClientTexts:
    """Per-trajectory strings shared by the client messages of one region."""

    bsn: list[str]
    geboren: list[str]
    geslacht: list[int]
    plaats: list[str]


def _client_texts(tr: Trajectories, cl: Clients, region: Region) -> ClientTexts:
    """Pre-rendered client fields per trajectory (both standards share element names)."""
    names = {g.code: PLAATS.sub("", g.naam) for g in region.gemeenten}
    c = tr.client
    return ClientTexts(
        bsn=cl.bsn[c].tolist(), geboren=np.datetime_as_string(cl.geboren[c]).tolist(),
        geslacht=cl.geslacht[c].tolist(), plaats=[names[g] for g in cl.gemeente[c].tolist()])


def client_messages(out: Path, region: Region, region_no: int, tr: Trajectories, cl: Clients,
                    aanbieders: list[Aanbieder], rng: np.random.Generator, counts: dict[str, int]) -> int:
    """Write a 301, 305 and (when ended) 307 per trajectory; returns bytes written."""
    n = len(tr.start)
    toew_dag = tr.start - rng.integers(0, 22, n)
    start_dag = tr.start + rng.integers(1, 11, n)
    stop_dag = tr.eind + rng.integers(1, 15, n)
    traag = np.array([aanbieders[int(a)].traag_startend for a in tr.aanbieder], dtype=bool)
    toew_dag = np.where(traag, toew_dag - (35 + (tr.toewijzing * 13) % 56), toew_dag)  # 5 to 13 weeks more
    entity = cl.gemeente[tr.client]
    gem = {k: gemeente_op(entity, d).tolist() for k, d in (("301", toew_dag), ("305", start_dag), ("307", stop_dag))}
    days = {k: np.datetime_as_string(d).tolist() for k, d in
            (("301", toew_dag), ("305", start_dag), ("307", stop_dag), ("start", tr.start),
             ("plan", tr.gepland_eind), ("eind", tr.eind))}
    texts = _client_texts(tr, cl, region)
    maanden = ((tr.gepland_eind - tr.start).astype(int) + 1) / 30.44
    size = 0
    for i in range(n):
        prod = config.PRODUCTS[int(tr.product[i])]
        agb = aanbieders[int(tr.aanbieder[i])].agb
        args = (out, region, region_no, i, prod, agb, tr, cl, texts, days, gem, counts)
        size += _msg301(*args, omvang_maanden=float(maanden[i]))
        size += _msg305(*args)
        if tr.reden[i]:
            size += _msg307(*args)
    laatste = max(d[~np.isnat(d)].max() for d in (toew_dag, start_dag, stop_dag))
    return size + _terugkomers(out, region, region_no, tr, cl, counts, aanbieders, laatste=laatste)


TERUG_NUMMER = 50_000_000
"""Added to a trajectory's ToewijzingNummer for the new toewijzing of a client who came back."""


def _terugkomers(out: Path, region: Region, region_no: int, tr: Trajectories, cl: Clients, counts: dict[str, int],
                 aanbieders: list[Aanbieder], *, laatste: np.datetime64) -> int:
    """Clients who come back: after about one in four ends voortijdig, a new 301 for the same product and
    aanbieder one to eight months later (never after ``laatste``, the latest message date). Care has not
    started yet (no 305), so these toewijzingen also wait: the datakwaliteit and wachttijd measures see them."""
    voortijdig = set(config.REDEN_JEUGD["voortijdig"]) | set(config.REDEN_WMO["voortijdig"])
    dag = tr.eind + 30 + (tr.toewijzing * 29) % 210
    pick = np.isin(tr.reden, list(voortijdig)) & (tr.toewijzing % 4 == 0) & ~np.isnat(tr.eind) & (dag <= laatste)
    back = tr.take(pick)
    back.toewijzing = back.toewijzing + TERUG_NUMMER
    back.start, back.gepland_eind = dag[pick] + 14, dag[pick] + 14 + 364
    days = {k: np.datetime_as_string(d).tolist() for k, d in
            (("301", dag[pick]), ("start", back.start), ("plan", back.gepland_eind))}
    gem = {"301": gemeente_op(cl.gemeente[back.client], dag[pick]).tolist()}
    texts = _client_texts(back, cl, region)
    size = 0
    for i in range(len(back.start)):
        prod = config.PRODUCTS[int(back.product[i])]
        size += _msg301(out, region, region_no, i, prod, aanbieders[int(back.aanbieder[i])].agb, back, cl, texts,
                        days, gem, counts, omvang_maanden=12.0)
    return size


def _msg_client(kind: Kind, i: int, tr: Trajectories, cl: Clients, texts: ClientTexts, *, volledig: bool) -> str:
    """The client block of trajectory ``i`` up to and including its Naam."""
    c = int(tr.client[i])
    naam = _naam(kind.b, int(cl.naam[c]), int(cl.voorletters[c]), volledig=volledig)
    return _client(kind.b, texts.bsn[i], texts.geboren[i], texts.geslacht[i], naam)


def _msg301(out, region, region_no, i, prod, agb, tr, cl, texts, days, gem, counts, *, omvang_maanden):
    """JW301 / WMO301 toewijzing from gemeente to aanbieder."""
    kind = kind_of(prod.domein, "301")
    ident = f"T{region_no}{int(tr.toewijzing[i]):09d}"
    b = kind.b
    text = (kind.root() + kind.header(gem["301"][i], agb, ident, days["301"][i]) + "</Header>\n"
            + _msg_client(kind, i, tr, cl, texts, volledig=True)
            + _contact(b, texts.plaats[i], 1 + int(tr.toewijzing[i]) % 150)
            + f"<ToegewezenProducten><ToegewezenProduct><ToewijzingNummer>{int(tr.toewijzing[i])}</ToewijzingNummer>"
            + _product(b, prod) + f"<Toewijzingsdatum>{days['301'][i]}</Toewijzingsdatum>"
            + f"<Toewijzingstijd>09:{int(tr.toewijzing[i]) % 60:02d}:00</Toewijzingstijd>"
            + f"<Ingangsdatum>{days['start'][i]}</Ingangsdatum><Einddatum>{days['plan'][i]}</Einddatum>"
            + _omvang(b, prod, float(tr.intensiteit[i]), omvang_maanden)
            + "</ToegewezenProduct></ToegewezenProducten>\n</Client>\n</Bericht>\n")
    counts[kind.name] = counts.get(kind.name, 0) + 1
    return _write(_path(out, region, kind, days["301"][i], ident), text)


def _start_stop(kind: Kind, i: int, prod: config.Product, tr: Trajectories, days: dict, *, stop: bool) -> str:
    """A StartProduct or StopProduct block."""
    tag = "StopProduct" if stop else "StartProduct"
    stop_xml = (f"<RedenBeeindiging>{tr.reden[i]}</RedenBeeindiging><Einddatum>{days['eind'][i]}</Einddatum>"
                if stop else "")
    return (f"<{tag}en><{tag}><ToewijzingNummer>{int(tr.toewijzing[i])}</ToewijzingNummer>"
            + _product(kind.b, prod) + f"<ToewijzingIngangsdatum>{days['start'][i]}</ToewijzingIngangsdatum>"
            + f"<Begindatum>{days['start'][i]}</Begindatum>{stop_xml}<StatusAanlevering>1</StatusAanlevering>"
            + f"</{tag}></{tag}en>\n")


def _msg305(out, region, region_no, i, prod, agb, tr, cl, texts, days, gem, counts):
    """JW305 / WMO305 start zorg from aanbieder to gemeente."""
    return _msg_start_stop("305", out, region, region_no, i, prod, agb, tr, cl, texts, days, gem, counts)


def _msg307(out, region, region_no, i, prod, agb, tr, cl, texts, days, gem, counts):
    """JW307 / WMO307 stop zorg from aanbieder to gemeente, with RedenBeeindiging."""
    return _msg_start_stop("307", out, region, region_no, i, prod, agb, tr, cl, texts, days, gem, counts)


def _msg_start_stop(num, out, region, region_no, i, prod, agb, tr, cl, texts, days, gem, counts) -> int:
    """Shared body of 305 and 307."""
    kind = kind_of(prod.domein, num)
    ident = f"{ID_LETTER[num]}{region_no}{int(tr.toewijzing[i]):09d}"
    text = (kind.root() + kind.header(agb, gem[num][i], ident, days[num][i]) + "</Header>\n"
            + _msg_client(kind, i, tr, cl, texts, volledig=False)
            + _start_stop(kind, i, prod, tr, days, stop=num == "307") + "</Client>\n</Bericht>\n")
    counts[kind.name] = counts.get(kind.name, 0) + 1
    return _write(_path(out, region, kind, days[num][i], ident), text)


# --- declarations: 323 and 325 ---------------------------------------------------------------------

def _prestaties(dc: Declaraties, tr: Trajectories, b_of_line: list[str]) -> list[str]:
    """The Prestatie body (without closing tag) of every line, in line order."""
    ln = dc.lines
    prod = tr.product[ln.traj].tolist()
    toew = tr.toewijzing[ln.traj].tolist()
    begin = np.datetime_as_string(ln.begin).tolist()
    eind = np.datetime_as_string(ln.eind).tolist()
    vol, tar, bed = ln.volume.tolist(), ln.tarief.tolist(), ln.bedrag.tolist()
    credit, ref, vorig = ln.credit.tolist(), dc.referentie.tolist(), dc.vorig_ref.tolist()
    out = []
    for i in range(len(prod)):
        b, p = b_of_line[i], config.PRODUCTS[prod[i]]
        vorig_xml = f"<{b}:VorigReferentieNummer>{vorig[i]}</{b}:VorigReferentieNummer>" if vorig[i] else ""
        tarief = "" if p.eenheid == "83" else f"<ProductTarief>{tar[i]}</ProductTarief>"
        out.append(
            f"<Prestatie><ProductReferentie><{b}:ReferentieNummer>{ref[i]}</{b}:ReferentieNummer>{vorig_xml}"
            f"</ProductReferentie><ToewijzingNummer>{toew[i]}</ToewijzingNummer><ProductCategorie>{p.categorie}"
            f"</ProductCategorie><ProductCode>{p.code}</ProductCode><ProductPeriode><{b}:Begindatum>{begin[i]}"
            f"</{b}:Begindatum><{b}:Einddatum>{eind[i]}</{b}:Einddatum></ProductPeriode><GeleverdVolume>{vol[i]}"
            f"</GeleverdVolume><Eenheid>{p.eenheid}</Eenheid>{tarief}<IngediendBedrag><{b}:Bedrag>{bed[i]}"
            f"</{b}:Bedrag><{b}:DebetCredit>{'C' if credit[i] else 'D'}</{b}:DebetCredit></IngediendBedrag>")
    return out


def _totaal(b: str, tag: str, cents: int) -> str:
    """A TotaalBedrag with DebetCredit from a signed amount in cents."""
    return (f"<{tag}><{b}:TotaalBedrag>{abs(cents)}</{b}:TotaalBedrag>"
            f"<{b}:DebetCredit>{'C' if cents < 0 else 'D'}</{b}:DebetCredit></{tag}>\n")


def _clients_block(rows: range | list[int], bsn: list[str], body: list[str], closing: list[str],
                   client_tail: str) -> str:
    """``Client`` elements for consecutive rows; a new Client starts when the BSN changes."""
    parts, current = [], None
    for i in rows:
        if bsn[i] != current:
            if current is not None:
                parts.append(f"</Prestaties>{client_tail}</Client>\n")
            parts.append(f"<Client><Bsn>{bsn[i]}</Bsn><Prestaties>\n")
            current = bsn[i]
        parts.append(body[i] + closing[i] + "</Prestatie>\n")
    parts.append(f"</Prestaties>{client_tail}</Client>\n")
    return "<Clienten>\n" + "".join(parts) + "</Clienten>\n"


def declaration_messages(out: Path, region: Region, dc: Declaraties, tr: Trajectories,
                         aanbieders: list[Aanbieder], counts: dict[str, int]) -> tuple[int, list[Path]]:
    """Write every 323 and, when answered, its 325. Returns bytes written and the 323 paths."""
    domein = [config.PRODUCTS[p].domein for p in tr.product[dc.lines.traj[dc.start[:-1]]].tolist()]
    std_line = np.repeat([("ijw" if d == "Jeugd" else "iwmo") for d in domein], np.diff(dc.start)).tolist()
    body = _prestaties(dc, tr, std_line)
    bsn = dc.bsn.tolist()
    no_close = [""] * len(bsn)
    retour = [f"<RetourCodes><RetourCode>{r}</RetourCode></RetourCodes>" for r in dc.lines.retour.tolist()]
    signed = np.where(dc.lines.credit, -dc.lines.bedrag, dc.lines.bedrag)
    afgewezen = dc.lines.afgewezen.tolist()
    dag = np.datetime_as_string(dc.dagtekening).tolist()
    antwoord = np.datetime_as_string(dc.antwoord).tolist()
    afz325 = gemeente_op(dc.entity, dc.antwoord).tolist()
    size, paths = 0, []
    for m in range(dc.n):
        rows = range(int(dc.start[m]), int(dc.start[m + 1]))
        kind = kind_of(domein[m], "323")
        agb = aanbieders[int(dc.aanbieder[m])].agb
        totaal = int(signed[rows.start:rows.stop].sum())
        text = (kind.root() + kind.header(agb, str(dc.gemeente[m]), str(dc.bericht_id[m]), dag[m]) + "</Header>\n"
                + f"<Declaratie>\n<DeclaratieNummer>{dc.nummer[m]}</DeclaratieNummer>\n<DeclaratiePeriode>"
                + _periode(kind.b, dc.periode[m]) + f"</DeclaratiePeriode>\n<DeclaratieDagtekening>{dag[m]}"
                + "</DeclaratieDagtekening>\n" + _totaal(kind.b, "TotaalIngediendBedrag", totaal)
                + _clients_block(rows, bsn, body, no_close, "") + "</Declaratie>\n</Bericht>\n")
        counts[kind.name] = counts.get(kind.name, 0) + 1
        path = _path(out, region, kind, dag[m], str(dc.bericht_id[m]))
        size += _write(path, text)
        paths.append(path)
        if antwoord[m] != "NaT":
            rejected = [i for i in rows if afgewezen[i]]
            toegekend = totaal - int(sum(signed[i] for i in rejected))
            text = _msg325(kind, dc, m, afz325[m], agb, dag[m], antwoord[m], totaal, toegekend,
                           _clients_block(rejected, bsn, body, retour, RETOUR_0200) if rejected else "")
            kind325 = kind_of(domein[m], "325")
            counts[kind325.name] = counts.get(kind325.name, 0) + 1
            size += _write(_path(out, region, kind325, antwoord[m], f"A{str(dc.bericht_id[m])[1:]}"), text)
    return size, paths


RETOUR_0200 = "<RetourCodes><RetourCode>0200</RetourCode></RetourCodes>"  # geen opmerking


def _msg325(kind: Kind, dc: Declaraties, m: int, afzender: str, agb: str, dag323: str, dag: str,
            totaal: int, toegekend: int, clients: str) -> str:
    """JW325 / WMO325 for 323 number ``m``: totals, and only the rejected lines in ``clients``."""
    kind325 = Kind(kind.std, "325")
    b = kind.b
    return (kind325.root() + kind325.header(afzender, agb, f"A{str(dc.bericht_id[m])[1:]}", dag)
            + f"<DeclaratieIdentificatie><{b}:Identificatie>{dc.bericht_id[m]}</{b}:Identificatie>"
            + f"<{b}:Dagtekening>{dag323}</{b}:Dagtekening></DeclaratieIdentificatie>\n"
            + kind.xsd_versie("XsdVersieDeclaratie") + RETOUR_0200 + "\n</Header>\n"
            + f"<DeclaratieAntwoord>\n<DeclaratieNummer>{dc.nummer[m]}</DeclaratieNummer>\n"
            + _totaal(b, "TotaalIngediendBedrag", totaal) + _totaal(b, "TotaalToegekendBedrag", toegekend)
            + clients + f"<RetourCodes><RetourCode>{'0200' if clients else '8001'}</RetourCode></RetourCodes>\n"
            + "</DeclaratieAntwoord>\n</Bericht>\n")


def _periode(b: str, month: np.datetime64) -> str:
    """Begindatum and Einddatum of a calendar month."""
    first = month.astype("datetime64[D]")
    last = (month + 1).astype("datetime64[D]") - 1
    return f"<{b}:Begindatum>{first}</{b}:Begindatum><{b}:Einddatum>{last}</{b}:Einddatum>"


def duplicate(path: Path) -> Path:
    """A byte-identical copy of ``path`` under another name (a 323 delivered twice)."""
    copy = path.with_name(path.stem + " (1)" + path.suffix)
    copy.write_bytes(path.read_bytes())
    return copy

