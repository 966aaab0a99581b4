#!/usr/bin/env python3
"""Real SPARQL clients against `warta serve`: SPARQLWrapper and rdflib's SPARQLStore.

    python3 tests/serve/clients.py URL

URL is the server's root (`http://127.0.0.1:PORT/`, as `warta serve` prints it)
over a store with examples/ ingested. Each check prints one line, `ok NAME: ...`
or `FAIL NAME: ...`; the exit code is 1 when a check failed, 2 when a module is
missing (install them with tests/serve/setup.sh). tests/serve.rs runs this.

The clients speak the protocol their own way, which is the point: SPARQLWrapper
sends format=/output=/results= parameters besides its Accept header, and reads
a 400 as QueryBadFormed; SPARQLStore asks for SPARQL XML results, over GET or
POST application/sparql-query.
"""

import sys
import traceback

try:
    import rdflib
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import OWL
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    from SPARQLWrapper import CSV, GET, JSON, POST, TURTLE, XML, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed
except ImportError as e:
    print(f"clients.py: {e}; run tests/serve/setup.sh (what .ci/run does)", file=sys.stderr)
    sys.exit(2)

WARTA = Namespace("https://w3id.org/warta/ontology#")
WD = Namespace("http://www.wikidata.org/entity/")
PUTIN = WD.Q7747

PREFIXES = """\
PREFIX warta: <https://w3id.org/warta/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX wd: <http://www.wikidata.org/entity/>
"""

# Putin's meeting partners, in either role (a meeting is stored once per pair).
MEETINGS = (
    PREFIXES
    + """\
SELECT DISTINCT ?partner ?label WHERE {
  ?putin owl:sameAs wd:Q7747 .
  ?event a warta:Meeting .
  { ?event warta:agent ?putin ; warta:target ?partner }
  UNION
  { ?event warta:target ?putin ; warta:agent ?partner }
  FILTER(?partner != ?putin)
  ?partner warta:displayLabel ?label .
}
ORDER BY ?label
"""
)

# The examples mention a meeting of Choe Son Hui with Putin in Moscow
# (tests/cli.rs: seed_article_yields_the_spine_facts).
EXPECTED_PARTNER = "Choe Son Hui"

COUNT_EVENTS = (
    PREFIXES
    + """\
SELECT (COUNT(DISTINCT ?event) AS ?n) WHERE { ?event a warta:Meeting ; warta:agent ?a ; warta:target ?b }
"""
)

ASK_PUTIN = PREFIXES + "ASK { ?e owl:sameAs wd:Q7747 ; warta:displayLabel ?label }\n"
ASK_NOBODY = PREFIXES + "ASK { ?e owl:sameAs wd:Q1 }\n"

CONSTRUCT_PUTIN = (
    PREFIXES
    + """\
CONSTRUCT { ?e ?p ?o } WHERE { ?e owl:sameAs wd:Q7747 ; ?p ?o }
"""
)

# Line 3: an undeclared prefix.
BAD_QUERY = "SELECT ?s\nWHERE {\n  ?s foo:bar ?o\n}\n"

TIMEOUT = 60


def wrapper(endpoint, query, fmt, method=GET):
    sw = SPARQLWrapper(endpoint)
    sw.setTimeout(TIMEOUT)
    sw.setMethod(method)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    return sw


def json_rows(result):
    """The bindings of a SPARQL JSON result as sorted tuples of (var, value)."""
    return sorted(tuple(sorted((k, v["value"]) for k, v in b.items())) for b in result["results"]["bindings"])


def require(condition, message):
    if not condition:
        raise AssertionError(message)


CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


@check
def sparqlwrapper_select_json(base):
    endpoint = base + "sparql"
    result = wrapper(endpoint, MEETINGS, JSON).query()
    ctype = result.info().get("content-type", "")
    require("application/sparql-results+json" in ctype, f"Content-Type {ctype!r}")
    data = result.convert()
    require(data["head"]["vars"] == ["partner", "label"], f"vars {data['head']['vars']}")
    labels = [b["label"]["value"] for b in data["results"]["bindings"]]
    require(labels, "Putin has no meeting partner")
    require(EXPECTED_PARTNER in labels, f"{EXPECTED_PARTNER} not among Putin's partners {labels}")
    for b in data["results"]["bindings"]:
        require(b["partner"]["type"] == "uri", f"partner is not an IRI: {b['partner']}")
        require(b["label"]["type"] == "literal", f"label is not a literal: {b['label']}")
    return f"{len(labels)} partners of Putin: {', '.join(labels)}"


@check
def sparqlwrapper_post_matches_get(base):
    endpoint = base + "query"
    got = json_rows(wrapper(endpoint, MEETINGS, JSON, POST).query().convert())
    want = json_rows(wrapper(base + "sparql", MEETINGS, JSON, GET).query().convert())
    require(got == want, f"POST /query gave {got}, GET /sparql {want}")
    n = wrapper(endpoint, COUNT_EVENTS, JSON, POST).query().convert()["results"]["bindings"]
    require(len(n) == 1, f"one row for COUNT, got {n}")
    count = int(n[0]["n"]["value"])
    require(count >= len(got), f"{count} meetings, fewer than Putin's {len(got)} partners")
    return f"POST form to /query = GET /sparql ({len(got)} rows); {count} meetings in all"


@check
def sparqlwrapper_select_xml_and_csv(base):
    endpoint = base + "sparql"
    result = wrapper(endpoint, MEETINGS, XML).query()
    ctype = result.info().get("content-type", "")
    require("application/sparql-results+xml" in ctype, f"Content-Type {ctype!r}")
    doc = result.convert()  # xml.dom.minidom Document
    literals = [n.firstChild.data for n in doc.getElementsByTagName("literal") if n.firstChild]
    require(EXPECTED_PARTNER in literals, f"{EXPECTED_PARTNER} not in the XML results {literals}")
    csv = wrapper(endpoint, MEETINGS, CSV).query().convert()
    text = csv.decode("utf-8") if isinstance(csv, bytes) else csv
    lines = text.strip().splitlines()
    require(lines and lines[0].strip() == "partner,label", f"CSV header {lines[:1]}")
    require(len(lines) - 1 == len(literals), f"{len(lines) - 1} CSV rows, {len(literals)} XML rows")
    return f"XML and CSV agree: {len(literals)} rows"


@check
def sparqlwrapper_ask(base):
    endpoint = base + "sparql"
    yes = wrapper(endpoint, ASK_PUTIN, JSON).query().convert()
    require(yes.get("boolean") is True, f"ASK Putin: {yes}")
    no = wrapper(endpoint, ASK_NOBODY, JSON).query().convert()
    require(no.get("boolean") is False, f"ASK wd:Q1: {no}")
    xml = wrapper(endpoint, ASK_PUTIN, XML).query().convert()
    booleans = [n.firstChild.data for n in xml.getElementsByTagName("boolean")]
    require(booleans == ["true"], f"XML ASK: {booleans}")
    return "ASK Putin true (JSON, XML), ASK wd:Q1 false"


@check
def sparqlwrapper_construct_turtle(base):
    result = wrapper(base + "sparql", CONSTRUCT_PUTIN, TURTLE).query()
    ctype = result.info().get("content-type", "")
    require("text/turtle" in ctype, f"Content-Type {ctype!r}")
    body = result.convert()
    g = Graph()
    g.parse(data=body.decode("utf-8") if isinstance(body, bytes) else body, format="turtle")
    require(len(g) > 0, "CONSTRUCT gave no triples")
    entities = set(g.subjects(OWL.sameAs, PUTIN))
    require(entities, "no owl:sameAs wd:Q7747 triple in the CONSTRUCT result")
    labels = {str(o) for e in entities for o in g.objects(e, WARTA.displayLabel)}
    require(any("Putin" in label for label in labels), f"display labels {labels}")
    return f"{len(g)} triples about {', '.join(sorted(str(e) for e in entities))} ({', '.join(sorted(labels))})"


@check
def sparqlwrapper_syntax_error(base):
    try:
        wrapper(base + "sparql", BAD_QUERY, JSON).query().convert()
    except QueryBadFormed as e:
        message = " ".join(str(e).split())
        require(len(message) > 0, "empty QueryBadFormed message")
        return f"QueryBadFormed (HTTP 400): {message[:160]}"
    raise AssertionError("a query with a syntax error was answered")


def store_graph(base, method):
    store = SPARQLStore(base + "sparql", method=method)
    return Graph(store=store)


@check
def sparqlstore_putin_meetings(base):
    g = store_graph(base, "GET")
    rows = list(g.query(MEETINGS))
    labels = [str(r.label) for r in rows]
    require(labels, "SPARQLStore: Putin has no meeting partner")
    require(EXPECTED_PARTNER in labels, f"{EXPECTED_PARTNER} not among {labels}")
    require(all(isinstance(r.partner, URIRef) for r in rows), f"partners not IRIs: {rows}")
    require(all(isinstance(r.label, Literal) for r in rows), f"labels not literals: {rows}")
    posted = sorted(str(r.label) for r in store_graph(base, "POST").query(MEETINGS))
    require(posted == sorted(labels), f"POST application/sparql-query gave {posted}, GET {labels}")
    return f"{len(labels)} partners over GET and POST: {', '.join(labels)}"


@check
def sparqlstore_triple_patterns(base):
    g = store_graph(base, "GET")
    entities = list(g.subjects(OWL.sameAs, PUTIN))
    require(entities, "g.subjects(owl:sameAs, wd:Q7747) is empty")
    label = g.value(entities[0], WARTA.displayLabel)
    require(label is not None and "Putin" in str(label), f"displayLabel {label!r}")
    ask = g.query(ASK_PUTIN)
    require(ask.askAnswer is True, f"ASK over SPARQLStore: {ask.askAnswer}")
    return f"{entities[0]} warta:displayLabel {str(label)!r}; ASK true"


def main(argv):
    if len(argv) != 2:
        print("usage: python3 tests/serve/clients.py URL", file=sys.stderr)
        return 2
    base = argv[1] if argv[1].endswith("/") else argv[1] + "/"
    print(f"clients.py: {base} with SPARQLWrapper {__import__('SPARQLWrapper').__version__}, rdflib {rdflib.__version__}")
    failed = []
    for fn in CHECKS:
        try:
            print(f"ok   {fn.__name__}: {fn(base)}", flush=True)
        except Exception as e:  # a failed check, whatever the library raised
            failed.append(fn.__name__)
            detail = " ".join(str(e).split())[:600]
            print(f"FAIL {fn.__name__}: {type(e).__name__}: {detail}", flush=True)
            traceback.print_exc(file=sys.stderr)
    if failed:
        print(f"clients.py: {len(failed)} of {len(CHECKS)} checks failed: {', '.join(failed)}")
        return 1
    print(f"clients.py: all {len(CHECKS)} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
