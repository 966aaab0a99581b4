#!/usr/bin/env python3
"""Refresh warta's terms of office from a Wikidata SPARQL endpoint.

Usage (from the repository root; Python 3.9+, standard library only, needs network):

    python3 scripts/refresh_wikidata.py --out /tmp/positions.wikidata.tsv \\
        --people-out /tmp/people.wikidata.tsv

Sends scripts/wikidata/positions.rq (P39 "position held" with the P580 start and P582
end qualifiers) for the offices listed in scripts/wikidata/offices.tsv to --endpoint
(default https://query.wikidata.org/sparql) and writes:

  --out          rows in the format of ontology/positions.tsv (first line
                 "# refreshed: <today> from <endpoint>", source "wikidata-sparql:<today>",
                 confidence A); default: standard output.
  --people-out   rows in the format of ontology/sources/people.tsv for the people of
                 those rows that ontology/gazetteer.tsv does not have yet (Wikidata English
                 and Indonesian labels); default: not written.

It never writes ontology/positions.tsv: that file holds hand-verified rows, each with its
own source. Review the output, merge the people rows into ontology/sources/people.tsv
(add the aliases news uses), rerun scripts/build_gazetteer.py, then merge the term rows
into ontology/positions.tsv (ontology/GAZETTEER.md, "Refreshing from Wikidata", gives the
steps). A comparison with the current ontology/positions.tsv is printed on standard error
to help with the merge.

Rows are skipped (with a warning) when the statement has no start date, a date less
precise than a year, or a date outside years 1-9999. Exit status: 0 on success, 1 on an
error (HTTP failure, malformed answer, bad arguments).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
DEFAULT_QUERY = ROOT / "scripts" / "wikidata" / "positions.rq"
DEFAULT_OFFICES = ROOT / "scripts" / "wikidata" / "offices.tsv"
DEFAULT_GAZETTEER = ROOT / "ontology" / "gazetteer.tsv"
CURATED_POSITIONS = ROOT / "ontology" / "positions.tsv"
USER_AGENT = ("warta-refresh/0.1 (warta knowledge-graph builder; scripts/refresh_wikidata.py; "
              "Python urllib)")
ENTITY = "http://www.wikidata.org/entity/"
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
POSITIONS = ["head_of_state", "head_of_government", "leader", "foreign_minister",
             "minister", "spokesperson", "ambassador", "other"]
HEADER = ["person", "position", "holder_of", "office", "start", "end", "confidence",
          "source"]
PEOPLE_HEADER = ["qid", "type", "label_en", "label_id", "aliases_en", "aliases_id", "extra",
                 "confidence", "source", "note"]
BEGIN, END = "# OFFICES BEGIN", "# OFFICES END"


class RefreshError(Exception):
    pass


def read_tsv(path: Path) -> list[dict[str, str]]:
    """UTF-8 TSV with optional leading '#' comments and one header line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise RefreshError(f"{path}: {e}") from e
    lines = [ln for ln in lines if ln.strip()]
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        i += 1
    if i == len(lines):
        raise RefreshError(f"{path}: no header line")
    header = lines[i].split("\t")
    rows = []
    for n, line in enumerate(lines[i + 1:], start=i + 2):
        cells = line.split("\t")
        if len(cells) != len(header):
            raise RefreshError(f"{path}:{n}: {len(cells)} cells, header has {len(header)}")
        row = dict(zip(header, cells))
        row["_where"] = f"{path}:{n}"
        rows.append(row)
    return rows


def load_offices(path: Path) -> list[dict[str, str]]:
    rows = read_tsv(path)
    for r in rows:
        for col in ("office", "position", "holder_of", "label"):
            if col not in r:
                raise RefreshError(f"{path}: missing column {col}")
        if not QID_RE.match(r["office"]) or not QID_RE.match(r["holder_of"]):
            raise RefreshError(f"{r['_where']}: office and holder_of must be QIDs")
        if r["position"] not in POSITIONS:
            raise RefreshError(f"{r['_where']}: unknown position {r['position']!r}")
        if not r["label"].strip():
            raise RefreshError(f"{r['_where']}: empty label")
    if not rows:
        raise RefreshError(f"{path}: no offices")
    return rows


def build_query(template: str, office_qids: list[str]) -> str:
    """Replace the VALUES block between the marker lines with the offices."""
    start, end = template.find(BEGIN), template.find(END)
    if start < 0 or end < start:
        raise RefreshError(f"the query must contain the lines '{BEGIN}' and '{END}'")
    values = "  VALUES ?office { " + " ".join(f"wd:{q}" for q in office_qids) + " }\n  "
    return template[:start + len(BEGIN)] + "\n" + values + template[end:]


def run_query(endpoint: str, query: str, timeout: float) -> dict:
    data = urllib.parse.urlencode({"query": query}).encode("utf-8")
    req = urllib.request.Request(endpoint, data=data, method="POST", headers={
        "User-Agent": USER_AGENT,
        "Accept": "application/sparql-results+json",
        "Content-Type": "application/x-www-form-urlencoded",
    })
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
    except urllib.error.HTTPError as e:
        detail = e.read()[:500].decode("utf-8", "replace")
        raise RefreshError(f"{endpoint}: HTTP {e.code} {e.reason}: {detail}") from e
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        raise RefreshError(f"{endpoint}: {e}") from e
    try:
        answer = json.loads(body)
        answer["results"]["bindings"]
    except (ValueError, KeyError, TypeError) as e:
        raise RefreshError(f"{endpoint}: not a SPARQL JSON result: {e}") from e
    return answer


def qid_of(binding: dict | None) -> str | None:
    if not binding or binding.get("type") != "uri":
        return None
    value = binding.get("value", "")
    if not value.startswith(ENTITY):
        return None
    q = value[len(ENTITY):]
    return q if QID_RE.match(q) else None


def literal(binding: dict | None) -> str:
    return binding.get("value", "") if binding else ""


def wikidata_date(value: str, precision: str) -> str | None:
    """'2009-01-20T00:00:00Z' with precision 11/10/9 -> 2009-01-20 / 2009-01 / 2009."""
    m = re.match(r"^\+?(\d{4})-(\d{2})-(\d{2})T", value)
    if not m:
        return None  # negative years, years past 9999, or not a date
    year, month, day = m.groups()
    try:
        p = int(precision)
    except ValueError:
        return None
    if year == "0000":
        return None
    if p >= 11:
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            return None
        return f"{year}-{month}-{day}"
    if p == 10:
        return f"{year}-{month}" if "01" <= month <= "12" else None
    if p == 9:
        return year
    return None


def convert(answer: dict, offices: list[dict[str, str]], today: str,
            warn) -> tuple[list[list[str]], dict[str, dict[str, str]]]:
    """SPARQL JSON -> positions.tsv rows and {person QID: {label_en, label_id, ...}}."""
    by_office: dict[str, list[dict[str, str]]] = {}
    for o in offices:
        by_office.setdefault(o["office"], []).append(o)
    order = {o["holder_of"]: i for i, o in reversed(list(enumerate(offices)))}
    source = f"wikidata-sparql:{today}"
    rows: dict[tuple[str, str, str, str], list[str]] = {}
    people: dict[str, dict[str, str]] = {}
    for b in answer["results"]["bindings"]:
        person, office = qid_of(b.get("person")), qid_of(b.get("office"))
        statement = literal(b.get("statement")) or "?"
        if not person or office not in by_office:
            warn(f"skipped a result without a person or a listed office ({statement})")
            continue
        if "start" not in b:
            warn(f"{person} {office}: no start date (P580), skipped ({statement})")
            continue
        start = wikidata_date(literal(b.get("start")), literal(b.get("startPrecision")))
        if start is None:
            warn(f"{person} {office}: start {literal(b.get('start'))!r} precision "
                 f"{literal(b.get('startPrecision'))!r} not usable, skipped")
            continue
        end = ""
        if "end" in b:
            e = wikidata_date(literal(b.get("end")), literal(b.get("endPrecision")))
            if e is None:
                warn(f"{person} {office}: end {literal(b.get('end'))!r} not usable, skipped")
                continue
            end = e
        if end and end < start[:len(end)]:
            warn(f"{person} {office}: end {end} before start {start}, skipped")
            continue
        label_en = literal(b.get("labelEn")).strip()
        label_id = literal(b.get("labelId")).strip()
        info = people.setdefault(person, {"label_en": label_en, "label_id": label_id,
                                          "offices": ""})
        for o in by_office[office]:
            key = (person, o["position"], o["holder_of"], start)
            row = [person, o["position"], o["holder_of"], f"{o['label']} ({office})", start,
                   end, "A", source]
            old = rows.get(key)
            if old is not None and old != row:
                # two statements for one term: keep the one that knows the end
                if old[5] and not end:
                    continue
                warn(f"{person} {o['position']} {o['holder_of']} {start}: two statements "
                     f"differ; kept end {end or '(none)'}")
            rows[key] = row
            if o["label"] not in info["offices"].split("|"):
                info["offices"] = "|".join(x for x in (info["offices"], o["label"]) if x)
            info.setdefault("holder_of", o["holder_of"])
    out = sorted(rows.values(), key=lambda r: (order.get(r[2], len(order)), r[2],
                                               POSITIONS.index(r[1]), r[4], int(r[0][1:])))
    return out, people


def gazetteer_people(path: Path) -> tuple[set[str], set[str]]:
    """QIDs of Person rows and of Country rows in gazetteer.tsv."""
    persons, countries = set(), set()
    for r in read_tsv(path):
        if r.get("type") == "Person":
            persons.add(r["qid"])
        elif r.get("type") == "Country":
            countries.add(r["qid"])
    return persons, countries


def people_rows(people: dict[str, dict[str, str]], known: set[str], countries: set[str],
                endpoint: str, today: str, warn) -> list[list[str]]:
    out = []
    for q in sorted(people, key=lambda q: int(q[1:])):
        if q in known:
            continue
        p = people[q]
        if not p["label_en"]:
            warn(f"{q}: no English label; no people row written (label it by hand)")
            continue
        extra = [f"position={p['offices'].replace('|', ' / ')}"]
        if p.get("holder_of") in countries:
            extra.append(f"country={p['holder_of']}")
        clean = [x.replace("\t", " ").replace("|", "/").replace(";", ",")
                 for x in (p["label_en"], p["label_id"])]
        out.append([q, "Person", clean[0], clean[1], "", "", ";".join(extra), "A",
                    f"wikidata-sparql:{today}",
                    f"QID, labels and P39 term from {endpoint} on {today}; "
                    "add the aliases news uses before merging"])
    return out


def compare(rows: list[list[str]], curated: Path, warn) -> None:
    """Print how the refreshed rows differ from the hand-verified file."""
    try:
        cur = read_tsv(curated)
    except RefreshError as e:
        warn(f"no comparison: {e}")
        return
    mine = {(r["person"], r["position"], r["holder_of"]): [] for r in cur}
    for r in cur:
        mine[(r["person"], r["position"], r["holder_of"])].append((r["start"], r["end"]))
    new = changed = same = 0
    for r in rows:
        terms = mine.get((r[0], r[1], r[2]), [])
        if (r[4], r[5]) in terms:
            same += 1
        elif any(s == r[4] for s, _ in terms):
            changed += 1
            old = next(e for s, e in terms if s == r[4])
            print(f"changed: {r[0]} {r[1]} {r[2]} from {r[4]}: end {old or '(none)'} -> "
                  f"{r[5] or '(none)'}", file=sys.stderr)
        else:
            new += 1
            print(f"new: {r[0]} {r[1]} {r[2]} {r[4]} .. {r[5] or '(in office)'}",
                  file=sys.stderr)
    print(f"compared with {curated.name}: {same} same, {changed} changed end, {new} new",
          file=sys.stderr)


def write(path: str | None, text: str) -> None:
    if path is None or path == "-":
        sys.stdout.write(text)
        return
    target = Path(path)
    if target.resolve() == CURATED_POSITIONS.resolve():
        raise RefreshError(f"refusing to overwrite {CURATED_POSITIONS}: it holds "
                           "hand-verified rows; write elsewhere and merge by hand")
    target.write_text(text, encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--endpoint", default=DEFAULT_ENDPOINT,
                    help=f"SPARQL endpoint URL (default {DEFAULT_ENDPOINT})")
    ap.add_argument("--query", type=Path, default=DEFAULT_QUERY, help="SPARQL template")
    ap.add_argument("--offices", type=Path, default=DEFAULT_OFFICES,
                    help="TSV of office items to refresh")
    ap.add_argument("--gazetteer", type=Path, default=DEFAULT_GAZETTEER,
                    help="gazetteer.tsv, to know which people are new")
    ap.add_argument("--out", help="positions rows (default: standard output)")
    ap.add_argument("--people-out", help="people.tsv rows for people not in the gazetteer")
    ap.add_argument("--compare", type=Path, default=CURATED_POSITIONS,
                    help="positions.tsv to compare with (report on standard error)")
    ap.add_argument("--today", help="date written as the refresh date (default: today, UTC)")
    ap.add_argument("--timeout", type=float, default=120.0, help="HTTP timeout in seconds")
    args = ap.parse_args(argv)

    def warn(msg: str) -> None:
        print(f"warning: {msg}", file=sys.stderr)

    try:
        today = args.today or dt.datetime.now(dt.timezone.utc).date().isoformat()
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", today):
            raise RefreshError(f"--today {today!r} is not YYYY-MM-DD")
        if not args.endpoint.startswith(("http://", "https://")):
            raise RefreshError(f"--endpoint {args.endpoint!r} is not an http(s) URL")
        offices = load_offices(args.offices)
        qids = list(dict.fromkeys(o["office"] for o in offices))
        try:
            template = args.query.read_text(encoding="utf-8")
        except OSError as e:
            raise RefreshError(f"{args.query}: {e}") from e
        answer = run_query(args.endpoint, build_query(template, qids), args.timeout)
        rows, people = convert(answer, offices, today, warn)
        text = (f"# refreshed: {today} from {args.endpoint}\n"
                f"# generated by scripts/refresh_wikidata.py for offices "
                f"{' '.join(qids)}; review, then merge into ontology/positions.tsv\n"
                + "\t".join(HEADER) + "\n" + "".join("\t".join(r) + "\n" for r in rows))
        write(args.out, text)
        if args.people_out:
            known, countries = gazetteer_people(args.gazetteer)
            prow = people_rows(people, known, countries, args.endpoint, today, warn)
            write(args.people_out, "\t".join(PEOPLE_HEADER) + "\n"
                  + "".join("\t".join(r) + "\n" for r in prow))
            print(f"{len(prow)} people not in the gazetteer -> {args.people_out}",
                  file=sys.stderr)
        if args.compare and args.compare.is_file():
            compare(rows, args.compare, warn)
        print(f"{len(rows)} terms for {len(people)} people from {args.endpoint}",
              file=sys.stderr)
    except RefreshError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
