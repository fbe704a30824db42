"""The demand side of the demo as plain numpy data: clients, trajectories and declaration lines.

Dates are ``datetime64[D]``, months ``datetime64[M]``, money integer cents. Nothing here writes files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import numpy as np

from analysis.demo import config
from analysis.demo.config import Region
from analysis.demo.market import AFWIJKING_VANAF, Aanbieder

NAT = np.datetime64("NaT", "D")
FIRST = np.datetime64(config.FIRST_MONTH, "M")
LAST = np.datetime64(config.LAST_MONTH, "M")
LAST_DAY = (LAST + 1).astype("datetime64[D]") - 1
PRODUCT_INDEX = {p.code: i for i, p in enumerate(config.PRODUCTS)}


@dataclass
class Clients:
    """One row per client: BSN, birth date, sex (WJ/JZ geslacht 1 man, 2 vrouw), name, gemeente."""

    bsn: np.ndarray  # str, 9 digits passing the 11-proef
    geboren: np.ndarray  # datetime64[D]
    geslacht: np.ndarray  # int
    naam: np.ndarray  # index into config.ACHTERNAMEN
    voorletters: np.ndarray  # index into config.VOORLETTERS
    gemeente: np.ndarray  # str code of the gemeente of residence at the start of care
    start: np.ndarray  # datetime64[D], first day of care
    domein: np.ndarray  # index into config.DOMAINS


@dataclass
class Trajectories:
    """One row per toegewezen product: client, product, aanbieder, dates, outcome."""

    client: np.ndarray  # index into Clients
    product: np.ndarray  # index into config.PRODUCTS
    aanbieder: np.ndarray  # index into the region's aanbieders
    start: np.ndarray  # datetime64[D]
    gepland_eind: np.ndarray  # datetime64[D], Einddatum of the toewijzing
    eind: np.ndarray  # datetime64[D], actual end; NaT while still running after the last month
    reden: np.ndarray  # str reden beeindiging, '' while running
    intensiteit: np.ndarray  # float, multiplies the product's monthly volume
    toewijzing: np.ndarray  # int ToewijzingNummer, unique within the run

    def take(self, idx: np.ndarray) -> Trajectories:
        """The rows ``idx`` (an index or boolean mask)."""
        return Trajectories(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})


def concat(parts: list, cls: type) -> object:
    """Concatenate dataclasses of arrays field by field."""
    return cls(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)})


def bsn_pool(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct BSNs (str) that pass the 11-proef, in random order.

    >>> all(len(b) == 9 for b in bsn_pool(np.random.default_rng(1), 5))
    True
    """
    cand = rng.integers(10_000_000, 99_999_999, size=int(n * 1.25) + 100)
    digits = (cand[:, None] // 10 ** np.arange(7, -1, -1)) % 10
    check = (digits * np.arange(9, 1, -1)).sum(axis=1) % 11
    ok = check < 10
    bsn = cand[ok] * 10 + check[ok]
    _, first = np.unique(bsn, return_index=True)
    bsn = bsn[np.sort(first)][:n]
    if len(bsn) < n:
        raise ValueError("BSN pool too small")
    return np.array([f"{b:09d}" for b in bsn.tolist()])


def _months() -> np.ndarray:
    """All months in which trajectories may start, as datetime64[M]."""
    return np.arange(np.datetime64(config.HISTORY_START, "M"), LAST + 1)


def _start_counts(region: Region, rng: np.random.Generator, scale: float) -> list[tuple[str, int, np.ndarray]]:
    """Per gemeente and domain: the number of new clients per month (Poisson around the rate)."""
    months = _months()
    years = months.astype("datetime64[Y]").astype(int) + 1970
    firsts = months.astype("datetime64[D]").astype(dt.date)
    result = []
    for g in region.gemeenten:
        valid = np.array([g.valid_on(d) for d in firsts])
        people = g.vraag_2019 * (1 + config.POPULATION_GROWTH) ** (years - 2019)
        for d, domein in enumerate(config.DOMAINS):
            share = g.aandeel_jeugd if domein == "Jeugd" else 1 - g.aandeel_jeugd
            lam = (config.START_RATE[domein] * people * share / 1000 / 12 * scale
                   * (1 + config.START_GROWTH) ** (years - 2019) / 1.3)
            result.append((g.code, d, rng.poisson(np.where(valid, lam, 0.0))))
    return result


def clients(region: Region, rng: np.random.Generator, scale: float, bsns: np.ndarray) -> Clients:
    """New clients per gemeente, domain and month; ``bsns`` is consumed from the front."""
    months = _months()
    parts = []
    for code, d, counts in _start_counts(region, rng, scale):
        month = np.repeat(months, counts)
        day = month.astype("datetime64[D]") + rng.integers(0, 28, size=len(month))
        parts.append((np.full(len(month), code), np.full(len(month), d), day))
    gemeente = np.concatenate([p[0] for p in parts])
    domein = np.concatenate([p[1] for p in parts])
    start = np.concatenate([p[2] for p in parts])
    n = len(start)
    age_years = np.where(domein == 0, rng.uniform(0, 17.9, n),
                         np.where(domein == 1, rng.triangular(18, 80, 98, n), rng.uniform(18, 70, n)))
    geboren = start - (age_years * 365.25).astype(int)
    return Clients(bsn=bsns[:n], geboren=geboren, geslacht=rng.integers(1, 3, n),
                   naam=rng.integers(0, len(config.ACHTERNAMEN), n),
                   voorletters=rng.integers(0, len(config.VOORLETTERS), n),
                   gemeente=gemeente, start=start, domein=domein)


def _products_of(cl: Clients, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(client index, product index) pairs: 1-3 distinct products of the client's domain each."""
    k = rng.choice(3, size=len(cl.start), p=config.PRODUCTS_PER_CLIENT) + 1
    client = np.repeat(np.arange(len(k)), k)
    product = np.empty(len(client), dtype=int)
    for d, domein in enumerate(config.DOMAINS):
        own = np.array([i for i, p in enumerate(config.PRODUCTS) if p.domein == domein])
        w = np.array([config.PRODUCTS[i].gewicht for i in own])
        mask = cl.domein[client] == d
        product[mask] = rng.choice(own, size=int(mask.sum()), p=w / w.sum())
    pairs = np.unique(client * 100 + product)
    return pairs // 100, pairs % 100


def _pick_aanbieder(product: np.ndarray, start: np.ndarray, aanbieders: list[Aanbieder],
                    rng: np.random.Generator) -> np.ndarray:
    """An aanbieder contracted for the product's perceel and still active at ``start``."""
    result = np.empty(len(product), dtype=int)
    for pi, p in enumerate(config.PRODUCTS):
        for later in (False, True):
            cands = [i for i, a in enumerate(aanbieders) if p.perceel in a.percelen
                     and not (later and a.stopt is not None)]
            stop = min((a.stopt for a in aanbieders if a.stopt), default=config.DATA_DATE)
            mask = (product == pi) & ((start > np.datetime64(stop)) == later)
            w = np.array([aanbieders[i].gewicht for i in cands])
            result[mask] = rng.choice(cands, size=int(mask.sum()), p=w / w.sum())
    return result


def _outcome(tr_product: np.ndarray, aanbieder: np.ndarray, n_aanbieders: int,
             rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Reden beeindiging (str) and the fraction of the planned duration actually used."""
    quality = rng.lognormal(0, 0.35, n_aanbieders)  # some aanbieders lose many clients early
    jeugd = np.array([config.PRODUCTS[p].domein == "Jeugd" for p in tr_product])
    p_early = np.clip(0.16 * quality[aanbieder], 0.03, 0.5)
    u = rng.random(len(aanbieder))
    group = np.where(u < p_early, 1, np.where(u < p_early + 0.08, 2, 0))
    reden = np.empty(len(aanbieder), dtype="<U2")
    for g, key in enumerate(("plan", "voortijdig", "overig")):
        for is_jeugd, table in ((True, config.REDEN_JEUGD), (False, config.REDEN_WMO)):
            mask = (group == g) & (jeugd == is_jeugd)
            reden[mask] = rng.choice(table[key], size=int(mask.sum()))
    used = np.where(group == 0, 1.0, np.where(group == 1, rng.uniform(0.2, 0.8, len(u)),
                                                 rng.uniform(0.3, 1.0, len(u))))
    return reden, used


def trajectories(cl: Clients, aanbieders: list[Aanbieder], rng: np.random.Generator) -> Trajectories:
    """Trajectories of the clients with planned and actual ends; dropout of the stopping aanbieder."""
    client, product = _products_of(cl, rng)
    n = len(client)
    start = cl.start[client] + np.where(np.r_[True, client[1:] != client[:-1]], 0, rng.integers(0, 30, n))
    mean_days = np.array([config.PRODUCTS[p].duur_maanden * 30.44 for p in product])
    planned = np.maximum(14, (mean_days * rng.lognormal(-0.18, 0.6, n)).astype(int))
    aanbieder = _pick_aanbieder(product, start, aanbieders, rng)
    reden, used = _outcome(product, aanbieder, len(aanbieders), rng)
    eind = start + np.maximum(7, (planned * used).astype(int)) - 1
    tr = Trajectories(client, product, aanbieder, start, start + planned - 1, eind, reden,
                      rng.lognormal(0, 0.3, n), np.zeros(n, dtype=int))
    tr.start = np.maximum(tr.start, np.datetime64(config.DECENTRALISATIE))  # overgangsrecht 2015
    tr = _takeover(tr, aanbieders, rng)
    return _close(tr)


def _takeover(tr: Trajectories, aanbieders: list[Aanbieder], rng: np.random.Generator) -> Trajectories:
    """Trajectories of an aanbieder that stops end on its stop date (reden 38) and continue elsewhere."""
    for ai, a in enumerate(aanbieders):
        if a.stopt is None:
            continue
        stop = np.datetime64(a.stopt)
        hit = np.flatnonzero((tr.aanbieder == ai) & (tr.eind > stop))
        follow = tr.take(hit)
        follow.start = np.full(len(hit), stop + 1)
        follow.aanbieder = _pick_aanbieder(follow.product, follow.start, aanbieders, rng)
        tr.eind[hit] = stop
        tr.reden[hit] = config.REDEN_OVERSTAP
        tr = concat([tr, follow], Trajectories)
    return tr


def _close(tr: Trajectories) -> Trajectories:
    """Drop trajectories that ended before the first period; open those running past the last."""
    tr = tr.take((tr.eind >= FIRST.astype("datetime64[D]")) & (tr.start <= LAST_DAY))
    running = tr.eind > LAST_DAY
    tr.eind = np.where(running, NAT, tr.eind)
    tr.reden = np.where(running, "", tr.reden)
    order = np.lexsort((tr.product, tr.client, tr.start))
    tr = tr.take(order)
    tr.toewijzing = np.arange(1, len(order) + 1)
    return tr


@dataclass
class Lines:
    """Declaration lines (prestaties), one row each, before they are grouped into 323 messages."""

    traj: np.ndarray  # index into Trajectories
    begin: np.ndarray  # datetime64[D], ProductPeriode begin
    eind: np.ndarray  # datetime64[D], ProductPeriode end
    volume: np.ndarray  # int units of the product's eenheid
    tarief: np.ndarray  # int cents per unit as declared
    bedrag: np.ndarray  # int cents, volume x tarief
    credit: np.ndarray  # bool, DebetCredit C
    decl: np.ndarray  # datetime64[M], declaration period
    afgewezen: np.ndarray  # bool, listed in the 325
    retour: np.ndarray  # str retourcode of a rejected line, '' otherwise
    vorig: np.ndarray  # int, row (in this table) of the debit a credit cancels; -1 otherwise

    def take(self, idx: np.ndarray) -> Lines:
        """The rows ``idx``."""
        return Lines(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})


def _volume(tr: Trajectories, traj: np.ndarray, frac: np.ndarray, days: np.ndarray,
            rng: np.random.Generator) -> np.ndarray:
    """Delivered volume per line: days for etmaal, 1 for stuks, else noisy mean x intensity."""
    eenheid = np.array([config.PRODUCTS[p].eenheid for p in tr.product])[traj]
    mean = np.array([config.PRODUCTS[p].volume_per_maand for p in tr.product])[traj]
    noisy = np.maximum(1, np.rint(mean * tr.intensiteit[traj] * frac * rng.lognormal(0, 0.25, len(traj))))
    return np.where(eenheid == "14", days, np.where(eenheid == "82", 1, noisy)).astype(np.int64)


def _declared_tariff(tr: Trajectories, traj: np.ndarray, begin: np.ndarray, aanbieders: list[Aanbieder],
                     tarieven: dict[tuple[str, int], int]) -> np.ndarray:
    """Declared ProductTarief in cents: the contract tariff, or above it for the deviating aanbieder."""
    year = begin.astype("datetime64[Y]").astype(int) + 1970
    prod = tr.product[traj]
    table = np.array([[tarieven[(p.code, y)] for y in range(2019, 2027)] for p in config.PRODUCTS])
    base = table[prod, year - 2019]
    opslag = np.array([a.tarief_opslag for a in aanbieders])[tr.aanbieder[traj]]
    factor = np.where(year >= AFWIJKING_VANAF, 1 + opslag, 1.0)
    return np.rint(base * factor).astype(np.int64)


def base_lines(tr: Trajectories, aanbieders: list[Aanbieder], tarieven: dict[tuple[str, int], int],
               rng: np.random.Generator) -> Lines:
    """One debit line per trajectory and month of care in 2019-01 .. 2025-12."""
    end = np.where(np.isnat(tr.eind), LAST_DAY, tr.eind)
    m0 = np.maximum(tr.start.astype("datetime64[M]"), FIRST)
    m1 = end.astype("datetime64[M]")
    count = (m1 - m0).astype(int) + 1
    traj = np.repeat(np.arange(len(count)), count)
    offset = np.arange(len(traj)) - np.repeat(np.cumsum(count) - count, count)
    month = m0[traj] + offset
    mstart = month.astype("datetime64[D]")
    mend = (month + 1).astype("datetime64[D]") - 1
    begin = np.maximum(mstart, tr.start[traj])
    eind = np.minimum(mend, end[traj])
    days = (eind - begin).astype(int) + 1
    volume = _volume(tr, traj, days / ((mend - mstart).astype(int) + 1), days, rng)
    tarief = _declared_tariff(tr, traj, begin, aanbieders, tarieven)
    late = rng.random(len(traj)) < 0.03
    decl = month + np.where(late, rng.integers(2, 7, len(traj)), 0)
    n = len(traj)
    lines = Lines(traj, begin, eind, volume, tarief, volume * tarief, np.zeros(n, bool), decl,
                  np.zeros(n, bool), np.full(n, "", dtype="<U4"), np.full(n, -1))
    return lines.take(decl <= LAST)


def reject(lines: Lines, tr: Trajectories, aanbieders: list[Aanbieder], rng: np.random.Generator) -> Lines:
    """Mark a few % of the lines of answered declarations as rejected, with a plausible retourcode."""
    n = len(lines.traj)
    answered = lines.decl <= LAST - config.PENDING_MONTHS
    code = rng.choice(["9338", "9307", "9308", "9321"], size=n, p=[0.3, 0.25, 0.2, 0.25])
    hit = rng.random(n) < 0.025
    late = lines.decl > lines.begin.astype("datetime64[M]")
    late_hit = late & (rng.random(n) < 0.3)
    opslag = np.array([a.tarief_opslag for a in aanbieders])[tr.aanbieder[lines.traj]] > 0
    year = lines.begin.astype("datetime64[Y]").astype(int) + 1970
    tariff_hit = opslag & (year >= AFWIJKING_VANAF) & (rng.random(n) < 0.15)
    code = np.where(late_hit, "9307", np.where(tariff_hit, "0611", code))
    rejected = (hit | late_hit | tariff_hit) & answered & ~lines.credit
    lines.afgewezen = rejected
    lines.retour = np.where(rejected, code, "")
    return lines


def _copies(lines: Lines, idx: np.ndarray, decl: np.ndarray) -> Lines:
    """Copies of rows ``idx`` declared again in period ``decl``, not rejected."""
    new = lines.take(idx)
    new.decl = decl
    new.afgewezen = np.zeros(len(idx), bool)
    new.retour = np.full(len(idx), "", dtype="<U4")
    new.vorig = np.full(len(idx), -1)
    return new


def resubmissions(lines: Lines, rng: np.random.Generator) -> Lines:
    """Half of the rejected lines come back one or two months later as a new debit line."""
    idx = np.flatnonzero(lines.afgewezen & (rng.random(len(lines.traj)) < 0.5))
    decl = lines.decl[idx] + rng.integers(1, 3, len(idx))
    keep = decl <= LAST
    return _copies(lines, idx[keep], decl[keep])


def credits(lines: Lines, rng: np.random.Generator) -> tuple[Lines, Lines]:
    """About 2 % of approved debits are cancelled by a credit line 1-3 months later (same client,
    product, period, volume, amount; ``vorig`` points at the debit), mostly with a corrected debit."""
    ok = ~lines.afgewezen & ~lines.credit & (lines.vorig < 0)
    idx = np.flatnonzero(ok & (rng.random(len(lines.traj)) < 0.02))
    decl = lines.decl[idx] + rng.integers(1, 4, len(idx))
    idx, decl = idx[decl <= LAST], decl[decl <= LAST]
    cred = _copies(lines, idx, decl)
    cred.credit = np.ones(len(idx), bool)
    cred.vorig = idx
    fix = (rng.random(len(idx)) < 0.8) & (lines.volume[idx] > 1)
    corr = _copies(lines, idx[fix], decl[fix])
    corr.volume = np.maximum(1, np.rint(corr.volume * rng.uniform(0.7, 0.95, len(corr.volume)))).astype(np.int64)
    corr.bedrag = corr.volume * corr.tarief
    return cred, corr


def all_lines(tr: Trajectories, aanbieders: list[Aanbieder], tarieven: dict[tuple[str, int], int],
              rng: np.random.Generator) -> Lines:
    """Base lines plus rejections, resubmissions, credits and corrections, ``vorig`` re-indexed."""
    base = reject(base_lines(tr, aanbieders, tarieven, rng), tr, aanbieders, rng)
    again = resubmissions(base, rng)
    cred, corr = credits(base, rng)
    return concat([base, again, cred, corr], Lines)
