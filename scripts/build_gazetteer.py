#!/usr/bin/env python3
"""Build warta's gazetteer TSVs from the frozen inputs in ontology/sources/.

Usage (from the repository root; Python 3.11, standard library only):

    python3 scripts/build_gazetteer.py

Reads (all in ontology/sources/, see ontology/sources/README.md for provenance):
    entities.tsv            offline Wikidata gazetteer (one row per QID)
    verified_manual.tsv     hand-verified persons / media / bodies (+ G7/G20/BRICS, Q61)
    id_aliases_curated.tsv  hand-written Indonesian labels and aliases
    people.tsv              people verified for the terms of office (ontology/positions.tsv)
    natural_earth_cities.tsv non-capital cities from Natural Earth populated places
                            (public domain; QIDs from its Wikidata-enriched WIKIDATAID)
    curated.tsv             warta's own hand-curated additions and removals
    ambiguous.tsv           names deliberately allowed to map to several QIDs
    demonyms_curated.tsv    hand-written English demonyms (not ODbL)
    country_extras_odbl.tsv demonyms from world-countries (ODbL 1.0) -- used ONLY
                            for ontology/gazetteer-demonyms-odbl.tsv
    unverified.tsv          QIDs known to be weak; only used to warn when curated.tsv
                            introduces one of them

Writes:
    ontology/gazetteer.tsv               qid type label_en label_id aliases_en aliases_id
                                         extra confidence source
    ontology/gazetteer-demonyms-odbl.tsv qid demonyms_en  (ODbL 1.0, kept separate)
    ontology/demonyms.tsv                qid demonyms_en  (hand-written, not ODbL)

Pipeline, in order:
    1. entities.tsv rows, type mapped to warta's types (TYPE_MAP); EXCLUDE_QIDS skipped.
    2. verified_manual.tsv merged in (aliases unioned, extra keys merged, so the
       persons keep position=...;country=Q...).
    3. id_aliases_curated.tsv merged in (label_id filled where empty, aliases_id unioned).
    4. people.tsv, then natural_earth_cities.tsv, then curated.tsv, applied row by row,
       in file order (same format and rules; people.tsv rows are tagged warta:people,
       natural_earth_cities.tsv rows warta:natural-earth, curated.tsv rows warta:curated).  A row for a QID that already
       exists patches it: a non-empty label replaces the old one (the old label becomes
       an alias), aliases are added, an alias written "-name" is removed (compared after
       normalisation), extra key=value pairs are merged, a non-empty confidence replaces
       the old one.  A row for a new QID creates an entity (type, label_en, confidence
       required).  Several rows may name the same QID.  Every row needs a note.
    5. Drop rules (drop_reason below, one comment per rule) remove aliases that are
       useless or dangerous for matching news text.  Labels are never dropped.
    6. Person rules: single-word aliases that are common given names or common
       (Korean / Chinese) family names are dropped; the family name alone is added
       as an alias when it is distinctive (Putin, Xi, Macron ...).
    7. Validation (the script exits 1 and writes nothing if any check fails):
       qid matches Q\\d+, type is one of the 7 types, label_en present, confidence in
       A/B/S/M, no tab / newline / "|" inside a value, every name in REQUIRED_NAMES
       resolves to its QID, and no name (label or alias, after normalise()) maps to
       two different QIDs unless ambiguous.tsv declares exactly that set of QIDs.
       Demonyms (both files together) are checked the same way.
    8. Output sorted by the numeric part of the QID; aliases keep their source order;
       deterministic (same inputs -> byte-identical outputs).

Normalisation used for collisions (normalise()): lowercase, Unicode NFKD with
combining marks dropped (diacritics stripped), curly quotes -> straight quotes,
hyphens/dashes -> space, whitespace collapsed.

Confidence grades: A, B, S as defined in ontology/sources/UPSTREAM-README.md;
M = entity added by hand in curated.tsv (checked by the analyst named in its note).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "ontology" / "sources"
OUT_GAZ = ROOT / "ontology" / "gazetteer.tsv"
OUT_DEM_ODBL = ROOT / "ontology" / "gazetteer-demonyms-odbl.tsv"
OUT_DEM = ROOT / "ontology" / "demonyms.tsv"

GAZ_COLUMNS = ["qid", "type", "label_en", "label_id", "aliases_en", "aliases_id",
               "extra", "confidence", "source"]
CURATED_COLUMNS = GAZ_COLUMNS + ["note"]

# entities.tsv type -> warta type
TYPE_MAP = {
    "country": "Country",
    "city": "City",
    "territory": "Place",
    "region": "Place",
    "organization": "Organization",
    "body": "GovernmentBody",
    "media": "Media",
    "person": "Person",
}
# Constituent countries that news means by the country's name: country-coder
# files them as territories of a kingdom (Q29999, Q756617), but "the
# Netherlands" and "Denmark" in a news story are the state, an actor.
COUNTRY_IN_NEWS = {"Q55", "Q35"}
TYPES = {"Country", "City", "Place", "Organization", "GovernmentBody", "Media", "Person"}
PLACE_TYPES = {"Country", "City", "Place"}
CONFIDENCES = {"A", "B", "S", "M"}
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
CURATED_SOURCE_TAG = "warta:curated"
PEOPLE_SOURCE_TAG = "warta:people"
NATURAL_EARTH_SOURCE_TAG = "warta:natural-earth"
# Regnal numbers are not family names (Charles III, Elizabeth II).
ROMAN_NUMERAL_RE = re.compile(r"^[IVXLC]+$")

# Rows left out of the gazetteer entirely.
EXCLUDE_QIDS = {
    # "World" / "Dunia": both labels are ordinary words ("di dunia" = "in the world")
    # and the entity carries no information for an international-news graph.
    "Q2": "World",
}

# --- drop-rule data -------------------------------------------------------------

# Two-letter all-caps aliases that are kept (everything else of the form [A-Z]{2}
# is an ISO 3166-1 alpha-2 code or an obscure abbreviation, e.g. AU, UA, EP, WB).
KEEP_TWO_LETTER = {
    "US", "UK", "EU", "UN",
    "AS",  # Indonesian: Amerika Serikat
    "RI",  # Indonesian: Republik Indonesia
    "UE",  # Indonesian: Uni Eropa (standard abbreviation in Indonesian news)
    "AP",  # Associated Press (dateline "(AP)")
}

# Three/four-letter all-caps codes on place rows that news actually uses.
KEEP_CODES = {
    "USA", "UAE", "DPRK", "ROK", "PRC",
    "NYC",  # New York City
    "RRT", "RRC",  # Indonesian: Republik Rakyat Tiongkok / China
    "RDRK",        # Indonesian: Republik Demokratik Rakyat Korea
    "DRC", "RDK",  # Democratic Republic of the Congo (wire copy; Indonesian)
    "NKRI",        # Indonesian: Negara Kesatuan Republik Indonesia
}

# Acronyms that spell a common word but are well known in news; matchers must
# match all-caps aliases case-sensitively (see ontology/GAZETTEER.md).
KEEP_WORD_ACRONYMS = KEEP_TWO_LETTER | {"WHO", "ITU", "BIS", "SPA"}

# Ordinary English and Indonesian words.  An alias equal to one of these (see rules
# R6/R7) is dropped.  Extend when a new alias turns out to be a common word.
COMMON_WORDS = set("""
a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each
era few for from further had has have having he her here hers him his how i if in
into is it its just me more most my no nor not now of off on once only or other our
out over own same she should so some such than that the their them then there these
they this those through to too under until up very was we were what when where which
while who whom why will with would you your
apt art bill can cap care case cast change close coast cod code cook
cover cross dash deal dear field fine fit fly gap gold grand guard guide head hope
ice jam key kind land late law lead line link live long major march mark
match may mid might miss must new nice note now oil order page park pass peace
plain plan play point press price rain range ray real reef rock rose round rule run
sat save sea seal share sesame shell side sign sole spa spring square staff stand
star state step still stock sun table tap tea term top trade union unit up
us use van war watch way well west wing
ada adalah agar akan aku anda antara apa atau bagi bahwa baru belum bila bis bisa
dan dari dalam dengan di dia dua ia ini itu jadi jika juga kami kamu karena ke kita
lagi lain lalu lima mana masih mereka nya oleh pada para pun saat saja sama satu
sebagai sudah tak tapi telah tetapi tiga untuk yang bibi paman ibu bapak kakak adik
raja ratu negara dunia kota pulau laut tanah air darat
""".split())

# --- person-rule data -----------------------------------------------------------

# Persons from these countries are written family name first in English news.
FAMILY_NAME_FIRST = {"Q148", "Q423", "Q884"}
# Persons from these countries usually have no family name (Indonesian naming);
# short forms (Jokowi, Prabowo) are curated by hand instead.
NO_FAMILY_NAME = {"Q252"}
# Words that mark a patronymic (Arabic and Malay naming): "X bin Y" is X, son of Y.
PATRONYMIC_PARTICLES = {"bin", "binti", "bint", "ibn"}
# Single words that never identify one person on their own: common Korean and
# Chinese family names, common given names, and Javanese name elements.
NON_DISTINCTIVE_NAMES = {
    "kim", "lee", "park", "pak", "choe", "choi", "ri", "li", "wang", "zhang", "liu",
    "chen", "yang", "zhao", "huang", "wu", "zhou", "moon", "jong", "yoon", "han",
    "joe", "donald", "mike", "michael", "john", "james", "robert", "david",
    "vladimir", "sergey", "sergei", "benjamin", "emmanuel", "narendra", "recep",
    "volodymyr", "antonio", "antónio", "joseph", "jr.", "jr",
    "joko", "widodo", "subianto", "budi", "bambang", "sri", "muhammad", "mohammed",
    # a common English family name (Boris Johnson, but also Mike Johnson, Lyndon
    # Johnson ...), a Korean family name that is also an English word (Ban Ki-moon)
    # and a common Japanese family name ("Ibu Mariko Suga", his wife, beside him)
    "johnson", "ban", "suga",
}

# Names the finished gazetteer must resolve (normalised) to these QIDs.
REQUIRED_NAMES = [
    ("Korea Utara", "Q423"), ("Korut", "Q423"), ("North Korea", "Q423"), ("DPRK", "Q423"),
    ("Democratic People's Republic of Korea", "Q423"),
    ("South Korea", "Q884"), ("Republic of Korea", "Q884"), ("ROK", "Q884"),
    ("Russia", "Q159"), ("Russian Federation", "Q159"), ("Rusia", "Q159"),
    ("Federasi Rusia", "Q159"),
    ("China", "Q148"), ("People's Republic of China", "Q148"), ("PRC", "Q148"),
    ("Tiongkok", "Q148"), ("RRT", "Q148"),
    ("United States", "Q30"), ("US", "Q30"), ("U.S.", "Q30"), ("USA", "Q30"),
    ("America", "Q30"), ("Amerika Serikat", "Q30"), ("AS", "Q30"),
    ("Indonesia", "Q252"), ("RI", "Q252"), ("Jepang", "Q17"), ("Ukraina", "Q212"),
    ("Moskow", "Q649"), ("Moskwa", "Q649"), ("Pyongyang", "Q18808"),
    ("Dewan Keamanan PBB", "Q37470"), ("DK PBB", "Q37470"), ("Dewan Keamanan", "Q37470"),
    ("Security Council", "Q37470"), ("UNSC", "Q37470"), ("UN Security Council", "Q37470"),
    ("United Nations Security Council", "Q37470"),
    ("UN", "Q1065"), ("PBB", "Q1065"), ("Perserikatan Bangsa-Bangsa", "Q1065"),
    ("White House", "Q35525"), ("Gedung Putih", "Q35525"),
    ("Vladimir Putin", "Q7747"), ("Putin", "Q7747"), ("Xi", "Q15031"),
    ("Kim Jong Un", "Q56226"), ("Choe Son Hui", "Q50382875"), ("CNN", "Q48340"),
    ("Joko Widodo", "Q3318231"), ("Jokowi", "Q3318231"),
]


# --- helpers ----------------------------------------------------------------------

class BuildError(Exception):
    pass


_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
})
_HYPHENS = re.compile(r"[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d]")
_SPACES = re.compile(r"\s+")


def normalise(name: str) -> str:
    """Key used to compare names: lowercase, no diacritics, straight quotes,
    hyphens as spaces, single spaces."""
    s = name.lower()
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.translate(_QUOTES)
    s = _HYPHENS.sub(" ", s)
    return _SPACES.sub(" ", s).strip()


def qid_key(qid: str) -> int:
    return int(qid[1:])


def read_tsv(path: Path, required: list[str]) -> list[dict[str, str]]:
    """Read a UTF-8 TSV: optional '#' comment lines, one header line, rows."""
    if not path.is_file():
        raise BuildError(f"{path}: missing")
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        i += 1
    if i == len(lines):
        raise BuildError(f"{path}: no header line")
    header = lines[i].rstrip("\r").split("\t")
    missing = [c for c in required if c not in header]
    if missing:
        raise BuildError(f"{path}: missing columns {missing}")
    rows = []
    for n, line in enumerate(lines[i + 1:], start=i + 2):
        line = line.rstrip("\r")
        if line == "":
            continue
        if line.startswith("#"):
            raise BuildError(f"{path}:{n}: comment lines are only allowed before the header")
        cells = line.split("\t")
        if len(cells) != len(header):
            raise BuildError(f"{path}:{n}: {len(cells)} cells, header has {len(header)}")
        row = dict(zip(header, cells))
        row["_where"] = f"{path.name}:{n}"
        rows.append(row)
    return rows


def split_list(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()]


def parse_extra(cell: str, where: str) -> list[tuple[str, str]]:
    out = []
    for part in cell.split(";"):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise BuildError(f"{where}: extra item {part!r} is not key=value")
        k, v = part.split("=", 1)
        out.append((k.strip(), v.strip()))
    return out


def merge_extra(base: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = list(base)
    for k, v in new:
        for i, (k0, _) in enumerate(out):
            if k0 == k:
                out[i] = (k, v)
                break
        else:
            out.append((k, v))
    return out


def add_unique(lst: list[str], items: list[str]) -> None:
    for x in items:
        if x not in lst:
            lst.append(x)


def add_sources(rec: dict, tags: list[str]) -> None:
    add_unique(rec["source"], tags)


def warn(msg: str) -> None:
    print(f"warning: {msg}", file=sys.stderr)


# --- steps ------------------------------------------------------------------------

def load_entities() -> dict[str, dict]:
    ents: dict[str, dict] = {}
    cols = ["qid", "type", "label_en", "label_id", "aliases_en", "aliases_id", "extra",
            "source", "confidence"]
    for r in read_tsv(SRC / "entities.tsv", cols):
        q = r["qid"]
        if q in EXCLUDE_QIDS:
            continue
        if q in ents:
            raise BuildError(f"{r['_where']}: duplicate qid {q}")
        if r["type"] not in TYPE_MAP:
            raise BuildError(f"{r['_where']}: unknown type {r['type']!r}")
        ents[q] = {
            "qid": q,
            "type": "Country" if q in COUNTRY_IN_NEWS else TYPE_MAP[r["type"]],
            "label_en": r["label_en"].strip(),
            "label_id": r["label_id"].strip(),
            "aliases_en": split_list(r["aliases_en"]),
            "aliases_id": split_list(r["aliases_id"]),
            "extra": parse_extra(r["extra"], r["_where"]),
            "confidence": r["confidence"].strip(),
            "source": [s for s in r["source"].split(";") if s],
            "curated_added": set(),  # (column, alias) added by curated.tsv
        }
    return ents


def merge_verified(ents: dict[str, dict]) -> None:
    cols = ["qid", "type", "label_en", "label_id", "aliases_en", "aliases_id", "extra",
            "confidence"]
    for r in read_tsv(SRC / "verified_manual.tsv", cols):
        q = r["qid"]
        if q in EXCLUDE_QIDS:
            continue
        extra = parse_extra(r["extra"], r["_where"])
        if q not in ents:
            if r["type"] not in TYPE_MAP:
                raise BuildError(f"{r['_where']}: unknown type {r['type']!r}")
            ents[q] = {
                "qid": q, "type": TYPE_MAP[r["type"]], "label_en": r["label_en"],
                "label_id": r["label_id"], "aliases_en": [], "aliases_id": [],
                "extra": [], "confidence": r["confidence"], "source": [],
                "curated_added": set(),
            }
        rec = ents[q]
        if TYPE_MAP.get(r["type"]) != rec["type"] and q not in COUNTRY_IN_NEWS:
            raise BuildError(f"{r['_where']}: type {r['type']} disagrees with entities.tsv")
        if not rec["label_id"]:
            rec["label_id"] = r["label_id"]
        add_unique(rec["aliases_en"], split_list(r["aliases_en"]))
        add_unique(rec["aliases_id"], split_list(r["aliases_id"]))
        rec["extra"] = merge_extra(rec["extra"], extra)
        add_sources(rec, ["lookup-verified:see evidence.tsv"])


def merge_id_aliases(ents: dict[str, dict]) -> None:
    for r in read_tsv(SRC / "id_aliases_curated.tsv",
                      ["qid", "label_id_if_missing", "aliases_id"]):
        q = r["qid"]
        if q in EXCLUDE_QIDS:
            continue
        if q not in ents:
            raise BuildError(f"{r['_where']}: {q} is not in entities.tsv")
        rec = ents[q]
        if not rec["label_id"] and r["label_id_if_missing"].strip():
            rec["label_id"] = r["label_id_if_missing"].strip()
            add_sources(rec, ["id-label:curated"])
        if r["aliases_id"].strip():
            add_unique(rec["aliases_id"], split_list(r["aliases_id"]))
            add_sources(rec, ["id-aliases:curated"])


def apply_curated(ents: dict[str, dict], name: str = "curated.tsv",
                  tag: str = CURATED_SOURCE_TAG) -> None:
    unverified = {r["qid"]: r for r in read_tsv(SRC / "unverified.tsv", ["qid", "status"])
                  if r["qid"]}
    for r in read_tsv(SRC / name, CURATED_COLUMNS):
        w = r["_where"]
        q = r["qid"].strip()
        if not QID_RE.match(q):
            raise BuildError(f"{w}: qid {q!r} is not a Wikidata item id (Q\\d+)")
        if not r["note"].strip():
            raise BuildError(f"{w}: note is empty (say where the fact comes from)")
        typ = r["type"].strip()
        if typ and typ not in TYPES:
            raise BuildError(f"{w}: type {typ!r} is not one of {sorted(TYPES)}")
        conf = r["confidence"].strip()
        if conf and conf not in CONFIDENCES:
            raise BuildError(f"{w}: confidence {conf!r} not in {sorted(CONFIDENCES)}")
        if q in EXCLUDE_QIDS:
            raise BuildError(f"{w}: {q} is excluded (EXCLUDE_QIDS); remove it there first")
        if q not in ents:
            if not (typ and r["label_en"].strip() and conf):
                raise BuildError(f"{w}: new entity {q} needs type, label_en and confidence")
            if q in unverified and "unverified.tsv" not in r["note"]:
                warn(f"{w}: {q} is listed in unverified.tsv "
                     f"({unverified[q]['status']}); make sure it was checked")
            ents[q] = {
                "qid": q, "type": typ, "label_en": r["label_en"].strip(),
                "label_id": "", "aliases_en": [], "aliases_id": [], "extra": [],
                "confidence": conf, "source": [], "curated_added": set(),
            }
        rec = ents[q]
        if typ and typ != rec["type"]:
            raise BuildError(f"{w}: type {typ} disagrees with {q}'s type {rec['type']}")
        # labels: a new label replaces the old one, which becomes an alias
        for lab, al in (("label_en", "aliases_en"), ("label_id", "aliases_id")):
            new = r[lab].strip()
            if new and new != rec[lab]:
                if rec[lab]:
                    add_unique(rec[al], [rec[lab]])
                rec[lab] = new
        # aliases: additions first, then "-name" removals
        for col in ("aliases_en", "aliases_id"):
            items = split_list(r[col])
            for a in items:
                if not a.startswith("-"):
                    if a not in rec[col]:
                        rec[col].append(a)
                        rec["curated_added"].add((col, a))
            for a in items:
                if a.startswith("-"):
                    key = normalise(a[1:])
                    before = len(rec[col])
                    rec[col] = [x for x in rec[col] if normalise(x) != key]
                    if len(rec[col]) == before:
                        warn(f"{w}: removal {a!r} matched no {col} of {q}")
        rec["extra"] = merge_extra(rec["extra"], parse_extra(r["extra"], w))
        if conf:
            rec["confidence"] = conf
        add_sources(rec, [tag] + [s for s in r["source"].split(";") if s.strip()])


def drop_reason(alias: str, rec: dict, iso2: set[str], iso3: set[str]) -> str | None:
    """Why an alias is useless or dangerous for matching news text (None = keep)."""
    # R1: ISO 3166-2 subdivision codes (GB-ENG, US-HI, NL-BQ1): never written in news.
    m = re.fullmatch(r"([A-Z]{2})-[A-Z0-9]{1,3}", alias)
    if m and m.group(1) in iso2:
        return "R1 ISO 3166-2 code"
    # R2: purely numeric codes (ISO 3166-1 numeric / M49, e.g. 872): match numbers.
    if re.fullmatch(r"[0-9]+", alias):
        return "R2 numeric code"
    # R3: two-letter all-caps codes (ISO alpha-2, AU, UA, EP, WB): too short, too
    #     ambiguous; only the well-known news abbreviations in KEEP_TWO_LETTER stay.
    if re.fullmatch(r"[A-Z]{2}", alias) and alias not in KEEP_TWO_LETTER:
        return "R3 two-letter code"
    # R4: ISO 3166-1 alpha-3 codes anywhere (e.g. FRA on the EU Fundamental Rights
    #     Agency, SAU, SRB): read as the country; only those news uses (USA) stay.
    if alias in iso3 and alias not in KEEP_CODES:
        return "R4 ISO alpha-3 code"
    # R5: other 3-4 letter all-caps codes on places (old ISO codes WAK, MID, JTN,
    #     ISO 3166-3 WKUM, SBA): not used in news; KEEP_CODES lists those that are.
    if rec["type"] in PLACE_TYPES and re.fullmatch(r"[A-Z]{3,4}", alias) \
            and alias not in KEEP_CODES:
        return "R5 place code"
    # R6: ordinary lowercase words of English or Indonesian (COMMON_WORDS).
    if alias == alias.lower() and alias in COMMON_WORDS:
        return "R6 ordinary word"
    # R7: all-caps acronyms that spell an ordinary word (ERA, SHARE, APT, SESAME):
    #     headlines and case-insensitive matchers turn them into the word; the
    #     well-known ones in KEEP_WORD_ACRONYMS (WHO, US, AS ...) stay.
    if alias.isupper() and alias.lower() in COMMON_WORDS \
            and alias not in KEEP_WORD_ACRONYMS:
        return "R7 acronym that is an ordinary word"
    # R8: persons: a bare common given name or common family name (Kim, Joe, Mike)
    #     never identifies one person.
    if rec["type"] == "Person" and " " not in alias \
            and alias.lower() in NON_DISTINCTIVE_NAMES:
        return "R8 non-distinctive single name"
    return None


def apply_drop_rules(ents: dict[str, dict]) -> dict[str, int]:
    iso2, iso3 = set(), set()
    for rec in ents.values():
        for k, v in rec["extra"]:
            if k == "iso2":
                iso2.add(v)
            elif k == "iso3":
                iso3.add(v)
    counts: dict[str, int] = {}
    for rec in ents.values():
        for col in ("aliases_en", "aliases_id"):
            kept = []
            for a in rec[col]:
                why = drop_reason(a, rec, iso2, iso3)
                if why is None:
                    kept.append(a)
                    continue
                counts[why] = counts.get(why, 0) + 1
                if (col, a) in rec["curated_added"]:
                    warn(f"curated alias {a!r} of {rec['qid']} dropped by {why}")
            rec[col] = kept
    return counts


def apply_person_rules(ents: dict[str, dict]) -> int:
    """Add the family name alone as an alias when it is distinctive."""
    added = 0
    for rec in ents.values():
        if rec["type"] != "Person":
            continue
        country = dict(rec["extra"]).get("country", "")
        if country in NO_FAMILY_NAME:
            continue
        tokens = rec["label_en"].split()
        if len(tokens) < 2:
            continue
        # Patronymic names (Mohammed bin Salman, Fadhlina binti Sidek): the last
        # word is the father's given name, not a family name ("Salman" is King
        # Salman). Short forms of such names are curated by hand.
        if any(t.lower() in PATRONYMIC_PARTICLES for t in tokens[1:-1]):
            continue
        family = tokens[0] if country in FAMILY_NAME_FIRST else tokens[-1]
        family = family.split("-")[0] if country in FAMILY_NAME_FIRST else family
        if family.lower() in NON_DISTINCTIVE_NAMES or "." in family or len(family) < 2 \
                or ROMAN_NUMERAL_RE.match(family):
            continue
        for col in ("aliases_en", "aliases_id"):
            if all(normalise(a) != normalise(family) for a in rec[col]):
                rec[col].append(family)
                added += 1
    return added


def tidy(ents: dict[str, dict]) -> None:
    """Drop aliases identical to the row's label in the same language and exact
    duplicates (order kept)."""
    for rec in ents.values():
        for lab, col in (("label_en", "aliases_en"), ("label_id", "aliases_id")):
            seen: list[str] = []
            for a in rec[col]:
                if a != rec[lab] and a not in seen:
                    seen.append(a)
            rec[col] = seen


def load_ambiguous() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for r in read_tsv(SRC / "ambiguous.tsv", ["alias", "qids", "note"]):
        key = normalise(r["alias"])
        qids = split_list(r["qids"])
        if len(qids) < 2 or any(not QID_RE.match(q) for q in qids):
            raise BuildError(f"{r['_where']}: qids must be two or more Q-ids")
        if not r["note"].strip():
            raise BuildError(f"{r['_where']}: note is empty")
        if key in out:
            raise BuildError(f"{r['_where']}: {r['alias']!r} declared twice")
        out[key] = {"alias": r["alias"], "qids": set(qids), "where": r["_where"]}
    return out


def collisions(names: dict[str, dict[str, set[str]]], ambiguous: dict[str, dict],
               what: str, used: set[str]) -> list[str]:
    """names: normalised key -> {qid: {surface forms}}."""
    errors = []
    for key in sorted(names):
        qids = names[key]
        if len(qids) < 2:
            continue
        found = set(qids)
        decl = ambiguous.get(key)
        surfaces = sorted({s for v in qids.values() for s in v})
        listing = ", ".join(f"{q} ({'/'.join(sorted(qids[q]))})"
                            for q in sorted(qids, key=qid_key))
        if decl is None:
            errors.append(f"undeclared {what} collision: {' / '.join(surfaces)!r} -> "
                          f"{listing}; declare it in ontology/sources/ambiguous.tsv "
                          f"or remove the name from all but one QID in curated.tsv")
        elif decl["qids"] != found:
            errors.append(f"{what} collision {decl['alias']!r}: ambiguous.tsv "
                          f"({decl['where']}) declares {sorted(decl['qids'], key=qid_key)} "
                          f"but the data has {listing}")
        else:
            used.add(key)
    return errors


def validate(ents: dict[str, dict], ambiguous: dict[str, dict], used: set[str]) -> list[str]:
    errors = []
    names: dict[str, dict[str, set[str]]] = {}
    for q, rec in ents.items():
        if not QID_RE.match(q):
            errors.append(f"{q}: not a Wikidata item id")
        if rec["type"] not in TYPES:
            errors.append(f"{q}: type {rec['type']!r} not one of {sorted(TYPES)}")
        if not rec["label_en"]:
            errors.append(f"{q}: empty label_en")
        if rec["confidence"] not in CONFIDENCES:
            errors.append(f"{q}: confidence {rec['confidence']!r}")
        values = [rec["label_en"], rec["label_id"], *rec["aliases_en"], *rec["aliases_id"]]
        for v in values:
            if any(c in v for c in "\t\n\r|"):
                errors.append(f"{q}: value {v!r} contains a tab, newline or '|'")
        for k, v in rec["extra"]:
            if any(c in k + v for c in "\t\n\r;="):
                errors.append(f"{q}: extra {k}={v} contains a reserved character")
        for v in values:
            if v:
                names.setdefault(normalise(v), {}).setdefault(q, set()).add(v)
    errors += collisions(names, ambiguous, "name", used)
    for name, q in REQUIRED_NAMES:
        if q not in names.get(normalise(name), {}):
            errors.append(f"required name {name!r} does not resolve to {q}")
    return errors


def build_demonyms(ents: dict[str, dict], ambiguous: dict[str, dict], used: set[str]):
    odbl: dict[str, list[str]] = {}
    for r in read_tsv(SRC / "country_extras_odbl.tsv",
                      ["qid", "demonym_en_m", "demonym_en_f", "independent"]):
        q = r["qid"]
        rec = ents.get(q)
        # countries of the gazetteer, plus independent states modelled as Place
        # (Q35 Denmark, Q55 Netherlands: see UPSTREAM-README.md)
        if rec is None or not (rec["type"] == "Country" or r["independent"] == "true"):
            continue
        dem: list[str] = []
        add_unique(dem, [d.strip() for d in (r["demonym_en_m"], r["demonym_en_f"])
                         if d.strip()])
        if dem:
            odbl[q] = dem
    curated: dict[str, list[str]] = {}
    errors = []
    for r in read_tsv(SRC / "demonyms_curated.tsv", ["qid", "demonyms_en", "note"]):
        q = r["qid"]
        if not QID_RE.match(q) or q not in ents:
            errors.append(f"{r['_where']}: {q} is not a QID of gazetteer.tsv")
            continue
        if not r["note"].strip():
            errors.append(f"{r['_where']}: note is empty")
        add_unique(curated.setdefault(q, []), split_list(r["demonyms_en"]))
    names: dict[str, dict[str, set[str]]] = {}
    for table in (odbl, curated):
        for q, dems in table.items():
            for d in dems:
                if any(c in d for c in "\t\n\r|"):
                    errors.append(f"{q}: demonym {d!r} contains a reserved character")
                names.setdefault(normalise(d), {}).setdefault(q, set()).add(d)
    errors += collisions(names, ambiguous, "demonym", used)
    return odbl, curated, errors


def write_tsv(path: Path, comments: list[str], header: list[str], rows: list[list[str]]):
    text = "".join(f"# {c}\n" if c else "#\n" for c in comments)
    text += "\t".join(header) + "\n"
    text += "".join("\t".join(r) + "\n" for r in rows)
    path.write_text(text, encoding="utf-8", newline="\n")


def main() -> int:
    try:
        ents = load_entities()
        merge_verified(ents)
        merge_id_aliases(ents)
        apply_curated(ents, "people.tsv", PEOPLE_SOURCE_TAG)
        apply_curated(ents, "natural_earth_cities.tsv", NATURAL_EARTH_SOURCE_TAG)
        apply_curated(ents)
        drops = apply_drop_rules(ents)
        added = apply_person_rules(ents)
        tidy(ents)
        ambiguous = load_ambiguous()
        used: set[str] = set()
        errors = validate(ents, ambiguous, used)
        odbl, curated_dem, dem_errors = build_demonyms(ents, ambiguous, used)
        errors += dem_errors
    except BuildError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if errors:
        for e in errors:
            print(f"error: {e}", file=sys.stderr)
        print(f"{len(errors)} error(s); nothing written", file=sys.stderr)
        return 1
    for key, d in sorted(ambiguous.items()):
        if key not in used:
            warn(f"{d['where']}: {d['alias']!r} is declared ambiguous but no longer collides")

    order = sorted(ents, key=qid_key)
    write_tsv(OUT_GAZ, [], GAZ_COLUMNS, [[
        q, ents[q]["type"], ents[q]["label_en"], ents[q]["label_id"],
        "|".join(ents[q]["aliases_en"]), "|".join(ents[q]["aliases_id"]),
        ";".join(f"{k}={v}" for k, v in ents[q]["extra"]),
        ents[q]["confidence"], ";".join(ents[q]["source"]),
    ] for q in order])
    write_tsv(OUT_DEM_ODBL, [
        "licence: ODbL 1.0 (Open Database License v1.0, "
        "https://opendatacommons.org/licenses/odbl/1-0/)",
        "source: demonym_en_m / demonym_en_f of the npm package world-countries 5.1.0 "
        "(https://github.com/mledoze/countries), via ontology/sources/country_extras_odbl.tsv",
        "Contains information from world-countries, made available under the ODbL 1.0.",
        "This file is a Derivative Database of it: attribution and share-alike apply to",
        "this file only; it is kept apart from gazetteer.tsv on purpose. Do not edit: it is",
        "generated by scripts/build_gazetteer.py (hand-written demonyms: ontology/demonyms.tsv).",
    ], ["qid", "demonyms_en"],
        [[q, "|".join(odbl[q])] for q in sorted(odbl, key=qid_key)])
    write_tsv(OUT_DEM, [
        "Hand-written English demonyms (ontology/sources/demonyms_curated.tsv); not derived",
        "from ODbL data. Generated by scripts/build_gazetteer.py; do not edit.",
    ], ["qid", "demonyms_en"],
        [[q, "|".join(curated_dem[q])] for q in sorted(curated_dem, key=qid_key)])

    by_type: dict[str, int] = {}
    for rec in ents.values():
        by_type[rec["type"]] = by_type.get(rec["type"], 0) + 1
    print(f"wrote {OUT_GAZ.relative_to(ROOT)}: {len(ents)} rows "
          + ", ".join(f"{t} {by_type[t]}" for t in sorted(by_type)))
    print("aliases dropped: " + (", ".join(f"{k}: {v}" for k, v in sorted(drops.items()))
                                 or "none") + f"; family-name aliases added: {added}")
    print(f"wrote {OUT_DEM_ODBL.relative_to(ROOT)}: {len(odbl)} rows; "
          f"{OUT_DEM.relative_to(ROOT)}: {len(curated_dem)} rows; "
          f"declared ambiguous names in use: {len(used)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
