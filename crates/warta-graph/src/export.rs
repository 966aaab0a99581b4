//! Exporting the store as RDF files.
//!
//! # Model
//!
//! The store holds an RDF *dataset*: a default graph plus named graphs (warta keeps
//! one named graph per source document, plus e.g. an ontology graph). Export formats
//! fall into two families, and each is given the data it can represent:
//!
//! * **Triple formats** — Turtle, N-Triples, RDF/XML, JSON-LD — describe a single
//!   graph. They receive the *union* of all graphs (or only [`ExportOptions::graph`]),
//!   taken as a **set** of triples: a statement asserted by two sources lives in two
//!   named graphs, but it is written once. Graph names are dropped.
//! * **Dataset formats** — N-Quads, TriG — keep the graph of every statement, so the
//!   same triple in two graphs is two quads, both written.
//!
//! [`ExportOptions::exclude_graph`] drops one graph (typically the ontology, which is
//! not news content) before either of the above.
//!
//! # Ordering and readability
//!
//! Turtle, TriG, RDF/XML and JSON-LD serialisers from oxigraph group *consecutive*
//! statements that share a subject (and predicate). The export therefore sorts
//! statements by (graph,) subject, predicate — with `rdf:type` first in each subject
//! block, since the type is what a reader wants to see first — and object. Sorting
//! also makes the output deterministic, and it makes deduplication a single pass.
//! The cost is O(n log n) time and the statements held in memory (roughly a few
//! hundred bytes per triple); the serialisers themselves stream. N-Quads needs
//! neither grouping nor deduplication, so it is streamed straight from the store in
//! constant memory.
//!
//! # Canonical form
//!
//! [`export_canonical`] writes the RDF Dataset Canonicalization (RDFC-1.0) N-Quads
//! form computed by sophia: blank nodes get content-derived labels and lines are
//! sorted, so equal datasets give byte-identical files whatever the insertion order.
//! This is the form to hash or diff.

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, QuadRef, TermRef, Triple,
    TripleRef,
};
use oxigraph::store::{StorageError, Store};
use sophia::api::dataset::MutableDataset;
use sophia::api::term::{BnodeId, IriRef, LanguageTag, SimpleTerm};
use sophia::api::MownStr;
use sophia::c14n::rdfc10;
use sophia::c14n::C14nError;
use sophia::inmem::dataset::LightDataset;
use std::cmp::Ordering;
use std::io::{self, BufWriter, Write};

/// An RDF serialisation the store can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// Turtle: a triple format, with prefixes and subject grouping.
    Turtle,
    /// N-Triples: a triple format, one statement per line.
    NTriples,
    /// N-Quads: a dataset format, one statement per line with its graph.
    NQuads,
    /// TriG: a dataset format, Turtle with graph blocks.
    TriG,
    /// Compact JSON-LD: one `@context` with the prefixes, compact IRIs,
    /// `@type`, single values bare (see [`crate::jsonld`]): a triple format.
    JsonLd,
    /// Expanded JSON-LD (full IRIs everywhere, as oxigraph streams it).
    JsonLdExpanded,
    /// RDF/XML: a triple format.
    RdfXml,
}

impl ExportFormat {
    /// Parses a format name as given on a command line, case-insensitively:
    /// `turtle`/`ttl`, `ntriples`/`nt`, `nquads`/`nq`, `trig`, `jsonld`/`json-ld`,
    /// `rdfxml`/`xml`/`rdf`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "turtle" | "ttl" => Some(Self::Turtle),
            "ntriples" | "nt" => Some(Self::NTriples),
            "nquads" | "nq" => Some(Self::NQuads),
            "trig" => Some(Self::TriG),
            "jsonld" | "json-ld" => Some(Self::JsonLd),
            "jsonld-expanded" | "json-ld-expanded" => Some(Self::JsonLdExpanded),
            "rdfxml" | "xml" | "rdf" => Some(Self::RdfXml),
            _ => None,
        }
    }

    /// Whether the format keeps graph names (N-Quads, TriG) rather than describing a
    /// single graph.
    pub fn is_dataset_format(self) -> bool {
        matches!(self, Self::NQuads | Self::TriG)
    }

    /// The usual file extension, without the dot.
    pub fn file_extension(self) -> &'static str {
        self.rdf_format().file_extension()
    }

    /// The oxigraph format used to write this one.
    pub fn rdf_format(self) -> RdfFormat {
        match self {
            Self::Turtle => RdfFormat::Turtle,
            Self::NTriples => RdfFormat::NTriples,
            Self::NQuads => RdfFormat::NQuads,
            Self::TriG => RdfFormat::TriG,
            Self::JsonLd | Self::JsonLdExpanded => RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
            Self::RdfXml => RdfFormat::RdfXml,
        }
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Writing to the output failed.
    #[error("cannot write the export: {0}")]
    Io(#[from] io::Error),
    /// Reading the store failed.
    #[error("cannot read the store: {0}")]
    Storage(#[from] StorageError),
    /// A prefix given for shortening IRIs is not usable in Turtle/SPARQL.
    #[error("invalid prefix {name:?} for <{iri}>: {reason}")]
    InvalidPrefix {
        /// The prefix name, without the colon.
        name: String,
        /// The namespace IRI.
        iri: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The data cannot be expressed in the chosen format (e.g. RDF/XML cannot write a
    /// predicate IRI that ends in a digit, as it has no XML qualified name).
    #[error("the data cannot be written in this format: {0}")]
    Unrepresentable(String),
    /// RDF canonicalisation failed (e.g. a blank-node structure too complex for the
    /// algorithm's safeguards).
    #[error("canonicalization failed: {0}")]
    Canonicalization(String),
}

/// What to export, and how.
#[derive(Debug, Clone)]
pub struct ExportOptions<'a> {
    /// The output format.
    pub format: ExportFormat,
    /// Export only this named graph. `None`: all graphs (including the default one).
    pub graph: Option<NamedNode>,
    /// Leave this named graph out (e.g. the ontology graph). Applied after `graph`.
    pub exclude_graph: Option<NamedNode>,
    /// Prefix name and namespace IRI pairs, e.g. `("wd", "http://www.wikidata.org/entity/")`.
    /// Used by Turtle, TriG, RDF/XML and compact JSON-LD (its `@context`); the
    /// line formats and expanded JSON-LD have no prefixes.
    pub prefixes: &'a [(&'a str, String)],
}

/// Exports the store (or part of it, see [`ExportOptions`]) to `out`.
///
/// Returns the number of statements written: distinct triples for triple formats,
/// quads for dataset formats. `out` is buffered internally and flushed at the end.
pub fn export(
    store: &Store,
    opts: &ExportOptions<'_>,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    validate_prefixes(opts.prefixes)?;
    let graph = opts.graph.as_ref().map(NamedNode::as_ref);
    let exclude = opts.exclude_graph.as_ref().map(NamedNode::as_ref);
    let mut out = BufWriter::new(out);
    let written = match opts.format {
        ExportFormat::NQuads => stream_quads(store, graph, exclude, &mut out)?,
        ExportFormat::TriG => {
            let quads = collect_quads(store, graph, exclude)?;
            write_sorted_quads(quads, opts.format, opts.prefixes, &mut out)?
        }
        ExportFormat::Turtle
        | ExportFormat::NTriples
        | ExportFormat::JsonLd
        | ExportFormat::JsonLdExpanded
        | ExportFormat::RdfXml => {
            let mut triples = Vec::new();
            for quad in selected_quads(store, graph, exclude) {
                triples.push(Triple::from(quad?));
            }
            write_triples(triples, opts.format, opts.prefixes, &mut out)?
        }
    };
    out.flush()?;
    Ok(written)
}

/// Writes a set of triples (e.g. a CONSTRUCT result) in `format`, sorted and
/// grouped by subject as described in the module docs, duplicates removed.
///
/// Dataset formats are accepted too: the triples are then written in the default
/// graph. Returns the number of distinct triples written. `out` is not flushed.
pub fn write_triples(
    mut triples: Vec<Triple>,
    format: ExportFormat,
    prefixes: &[(&str, String)],
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    validate_prefixes(prefixes)?;
    triples.sort_unstable_by(|a, b| cmp_triple(a.as_ref(), b.as_ref()));
    // Equal triples compare Equal, so after sorting they are adjacent.
    triples.dedup();
    if format == ExportFormat::RdfXml {
        // Checked before writing anything, so a failure leaves no partial file.
        check_rdfxml_names(&triples)?;
    }
    if format == ExportFormat::JsonLd {
        crate::jsonld::write_compact(&triples, prefixes, out)?;
        return Ok(triples.len());
    }
    let mut serializer = serializer(format, prefixes)?.for_writer(out);
    for triple in &triples {
        serializer
            .serialize_triple(triple)
            .map_err(serialization_error)?;
    }
    serializer.finish().map_err(serialization_error)?;
    Ok(triples.len())
}

/// Writes the RDFC-1.0 canonical N-Quads form of the store, or of one named graph
/// (`graph`: its quads, with their graph name).
///
/// Equal content gives byte-identical output whatever the order of insertion and
/// whatever the blank-node labels in the store. Returns the number of quads written.
pub fn export_canonical(
    store: &Store,
    graph: Option<&NamedNode>,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    // The store's terms are already validated, so they are handed to sophia as
    // borrowed, unchecked terms; LightDataset interns them, so memory is one copy of
    // each distinct term plus small indices per quad.
    let mut dataset = LightDataset::new();
    let mut count = 0;
    for quad in selected_quads(store, graph.map(NamedNode::as_ref), None) {
        let quad = quad?;
        let inserted = dataset
            .insert(
                subject_to_sophia(quad.subject.as_ref()),
                iri_to_sophia(quad.predicate.as_ref()),
                term_to_sophia(quad.object.as_ref()),
                graph_to_sophia(quad.graph_name.as_ref()),
            )
            .map_err(|e| ExportError::Canonicalization(e.to_string()))?;
        if inserted {
            count += 1;
        }
    }
    let mut out = BufWriter::new(out);
    rdfc10::normalize(&dataset, &mut out).map_err(|e| match e {
        C14nError::Io(e) => ExportError::Io(e),
        other => ExportError::Canonicalization(other.to_string()),
    })?;
    out.flush()?;
    Ok(count)
}

/// Checks the prefixes once, up front, for every format: the serialisers would write
/// a bad prefix name verbatim (producing unparsable Turtle) and some formats ignore
/// prefixes entirely, so errors would otherwise depend on the format chosen.
pub(crate) fn validate_prefixes(prefixes: &[(&str, String)]) -> Result<(), ExportError> {
    for (name, iri) in prefixes {
        let invalid = |reason: String| ExportError::InvalidPrefix {
            name: (*name).to_owned(),
            iri: iri.clone(),
            reason,
        };
        if !is_valid_prefix_name(name) {
            return Err(invalid(
                "a prefix name must start with a letter and contain only letters, digits, '_', '-' or '.' (not at the end)".into(),
            ));
        }
        NamedNode::new(iri.as_str()).map_err(|e| invalid(e.to_string()))?;
    }
    Ok(())
}

/// Turtle's PN_PREFIX, simplified to Unicode letters and digits: empty (the `:`
/// prefix) or a letter followed by letters, digits, `_`, `-`, `.`, not ending in `.`.
fn is_valid_prefix_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        None => true,
        Some(first) if first.is_alphabetic() => {
            chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
                && !name.ends_with('.')
        }
        Some(_) => false,
    }
}

fn serializer(
    format: ExportFormat,
    prefixes: &[(&str, String)],
) -> Result<RdfSerializer, ExportError> {
    let mut serializer = RdfSerializer::from_format(format.rdf_format());
    for (name, iri) in prefixes {
        serializer = serializer.with_prefix(*name, iri.as_str()).map_err(|e| {
            ExportError::InvalidPrefix {
                name: (*name).to_owned(),
                iri: iri.clone(),
                reason: e.to_string(),
            }
        })?;
    }
    Ok(serializer)
}

/// oxigraph's serialisers report "this cannot be written in this format" as an
/// `InvalidInput` I/O error; that is a property of the data, not of the output
/// device, so it gets its own variant.
fn serialization_error(e: io::Error) -> ExportError {
    if e.kind() == io::ErrorKind::InvalidInput {
        ExportError::Unrepresentable(e.to_string())
    } else {
        ExportError::Io(e)
    }
}

/// RDF/XML writes predicates — and the `rdf:type` that opens a subject block — as
/// XML element names, split from the IRI as namespace + local name. An IRI whose end
/// is not an XML name (`…/p/1`, `…#`) has no such split, and oxrdfxml then writes an
/// element named `oxprefix:`, which is not XML. Reject those triples instead of
/// producing a file nobody can read.
fn check_rdfxml_names(sorted: &[Triple]) -> Result<(), ExportError> {
    let mut previous_subject = None;
    for triple in sorted {
        let opens_block = previous_subject != Some(&triple.subject);
        previous_subject = Some(&triple.subject);
        let element = if opens_block && triple.predicate == rdf::TYPE {
            match &triple.object {
                oxigraph::model::Term::NamedNode(class) => class.as_ref(),
                _ => triple.predicate.as_ref(),
            }
        } else {
            triple.predicate.as_ref()
        };
        if !has_xml_local_name(element.as_str()) {
            return Err(ExportError::Unrepresentable(format!(
                "<{}> cannot be an RDF/XML element name (its IRI does not end in an XML name); \
                 use Turtle or N-Triples",
                element.as_str()
            )));
        }
    }
    Ok(())
}

/// Mirrors oxrdfxml's IRI split: the local name starts at the first XML name-start
/// character after the last character that cannot be part of an XML name.
fn has_xml_local_name(iri: &str) -> bool {
    let start = iri.rfind(|c| !is_xml_name_char(c) || c == ':').unwrap_or(0);
    iri[start..]
        .chars()
        .any(|c| is_xml_name_start_char(c) && c != ':')
}

/// XML 1.0 NameStartChar.
fn is_xml_name_start_char(c: char) -> bool {
    matches!(c,
        ':'
        | 'A'..='Z'
        | '_'
        | 'a'..='z'
        | '\u{00C0}'..='\u{00D6}'
        | '\u{00D8}'..='\u{00F6}'
        | '\u{00F8}'..='\u{02FF}'
        | '\u{0370}'..='\u{037D}'
        | '\u{037F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}'
        | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}'
        | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 NameChar.
fn is_xml_name_char(c: char) -> bool {
    is_xml_name_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{0300}'..='\u{036F}' | '\u{203F}'..='\u{2040}')
}

/// The store's quads restricted to `graph` (if any) and without `exclude` (if any).
fn selected_quads<'a>(
    store: &Store,
    graph: Option<NamedNodeRef<'a>>,
    exclude: Option<NamedNodeRef<'a>>,
) -> impl Iterator<Item = Result<Quad, StorageError>> + 'a {
    // The store reads from a snapshot, so a concurrent writer cannot make the export
    // half old, half new.
    let iter = store.quads_for_pattern(None, None, None, graph.map(GraphNameRef::from));
    iter.filter(move |quad| match (quad, exclude) {
        (Ok(quad), Some(exclude)) => quad.graph_name.as_ref() != GraphNameRef::from(exclude),
        _ => true,
    })
}

fn collect_quads(
    store: &Store,
    graph: Option<NamedNodeRef<'_>>,
    exclude: Option<NamedNodeRef<'_>>,
) -> Result<Vec<Quad>, StorageError> {
    selected_quads(store, graph, exclude).collect()
}

fn stream_quads(
    store: &Store,
    graph: Option<NamedNodeRef<'_>>,
    exclude: Option<NamedNodeRef<'_>>,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let mut serializer = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(out);
    let mut count = 0;
    for quad in selected_quads(store, graph, exclude) {
        serializer
            .serialize_quad(&quad?)
            .map_err(serialization_error)?;
        count += 1;
    }
    serializer.finish().map_err(serialization_error)?;
    Ok(count)
}

fn write_sorted_quads(
    mut quads: Vec<Quad>,
    format: ExportFormat,
    prefixes: &[(&str, String)],
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    // The store holds each quad once, so sorting alone (no dedup) is enough here.
    quads.sort_unstable_by(|a, b| cmp_quad(a.as_ref(), b.as_ref()));
    let mut serializer = serializer(format, prefixes)?.for_writer(out);
    for quad in &quads {
        serializer
            .serialize_quad(quad)
            .map_err(serialization_error)?;
    }
    serializer.finish().map_err(serialization_error)?;
    Ok(quads.len())
}

fn cmp_quad(a: QuadRef<'_>, b: QuadRef<'_>) -> Ordering {
    cmp_graph(a.graph_name, b.graph_name).then_with(|| {
        cmp_triple(
            TripleRef::new(a.subject, a.predicate, a.object),
            TripleRef::new(b.subject, b.predicate, b.object),
        )
    })
}

/// Subject, then predicate with `rdf:type` first, then object. Total on distinct
/// triples, so equal triples end up adjacent.
fn cmp_triple(a: TripleRef<'_>, b: TripleRef<'_>) -> Ordering {
    cmp_subject(a.subject, b.subject)
        .then_with(|| (a.predicate != rdf::TYPE).cmp(&(b.predicate != rdf::TYPE)))
        .then_with(|| a.predicate.as_str().cmp(b.predicate.as_str()))
        .then_with(|| cmp_term(a.object, b.object))
}

/// Default graph first, then named graphs by IRI, then blank-node graphs.
fn cmp_graph(a: GraphNameRef<'_>, b: GraphNameRef<'_>) -> Ordering {
    fn key(g: GraphNameRef<'_>) -> (u8, &str) {
        match g {
            GraphNameRef::DefaultGraph => (0, ""),
            GraphNameRef::NamedNode(n) => (1, n.as_str()),
            GraphNameRef::BlankNode(b) => (2, b.as_str()),
        }
    }
    key(a).cmp(&key(b))
}

/// IRIs before blank nodes, so named entities come first and anonymous nodes
/// (whose labels mean nothing to a reader) come last.
fn cmp_subject(a: NamedOrBlankNodeRef<'_>, b: NamedOrBlankNodeRef<'_>) -> Ordering {
    fn key(s: NamedOrBlankNodeRef<'_>) -> (u8, &str) {
        match s {
            NamedOrBlankNodeRef::NamedNode(n) => (0, n.as_str()),
            NamedOrBlankNodeRef::BlankNode(b) => (1, b.as_str()),
        }
    }
    key(a).cmp(&key(b))
}

fn cmp_term(a: TermRef<'_>, b: TermRef<'_>) -> Ordering {
    // (kind, main string, datatype, language): all four are needed for the order to
    // be total, e.g. "1"^^xsd:integer vs "1"^^xsd:string, or "x"@en vs "x"@id.
    fn key(t: TermRef<'_>) -> (u8, &str, &str, &str) {
        match t {
            TermRef::NamedNode(n) => (0, n.as_str(), "", ""),
            TermRef::BlankNode(b) => (1, b.as_str(), "", ""),
            TermRef::Literal(l) => (
                2,
                l.value(),
                l.datatype().as_str(),
                l.language().unwrap_or(""),
            ),
        }
    }
    key(a).cmp(&key(b))
}

fn iri_to_sophia(n: NamedNodeRef<'_>) -> SimpleTerm<'_> {
    SimpleTerm::Iri(IriRef::new_unchecked(MownStr::from(n.as_str())))
}

fn subject_to_sophia(s: NamedOrBlankNodeRef<'_>) -> SimpleTerm<'_> {
    match s {
        NamedOrBlankNodeRef::NamedNode(n) => iri_to_sophia(n),
        NamedOrBlankNodeRef::BlankNode(b) => {
            SimpleTerm::BlankNode(BnodeId::new_unchecked(MownStr::from(b.as_str())))
        }
    }
}

fn term_to_sophia(t: TermRef<'_>) -> SimpleTerm<'_> {
    match t {
        TermRef::NamedNode(n) => iri_to_sophia(n),
        TermRef::BlankNode(b) => {
            SimpleTerm::BlankNode(BnodeId::new_unchecked(MownStr::from(b.as_str())))
        }
        TermRef::Literal(l) => match l.language() {
            Some(lang) => SimpleTerm::LiteralLanguage(
                MownStr::from(l.value()),
                LanguageTag::new_unchecked(MownStr::from(lang)),
                None,
            ),
            None => SimpleTerm::LiteralDatatype(
                MownStr::from(l.value()),
                IriRef::new_unchecked(MownStr::from(l.datatype().as_str())),
            ),
        },
    }
}

fn graph_to_sophia(g: GraphNameRef<'_>) -> Option<SimpleTerm<'_>> {
    match g {
        GraphNameRef::DefaultGraph => None,
        GraphNameRef::NamedNode(n) => Some(iri_to_sophia(n)),
        GraphNameRef::BlankNode(b) => Some(SimpleTerm::BlankNode(BnodeId::new_unchecked(
            MownStr::from(b.as_str()),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::RdfParser;
    use oxigraph::model::{BlankNode, GraphName, Literal};

    const WD: &str = "http://www.wikidata.org/entity/";
    const WARTA: &str = "https://warta.example/ns#";

    fn nn(iri: &str) -> NamedNode {
        NamedNode::new(iri).unwrap()
    }

    fn g1() -> NamedNode {
        nn("https://warta.example/graph/doc1")
    }
    fn g2() -> NamedNode {
        nn("https://warta.example/graph/doc2")
    }
    fn onto() -> NamedNode {
        nn("https://warta.example/graph/ontology")
    }

    fn prefixes() -> Vec<(&'static str, String)> {
        vec![
            ("wd", WD.to_owned()),
            ("warta", WARTA.to_owned()),
            ("rdfs", "http://www.w3.org/2000/01/rdf-schema#".to_owned()),
        ]
    }

    /// 2 graphs of news + an ontology graph + the default graph; one triple is in
    /// both doc graphs (9 quads, 8 distinct triples).
    fn sample_store() -> Store {
        let store = Store::new().unwrap();
        let jokowi = nn(&format!("{WD}Q7747"));
        let xi = nn(&format!("{WD}Q15031"));
        let meets = nn(&format!("{WARTA}meets"));
        let person = nn(&format!("{WARTA}Person"));
        let label = nn("http://www.w3.org/2000/01/rdf-schema#label");
        let event = BlankNode::new("e1").unwrap();
        let quads = [
            Quad::new(jokowi.clone(), meets.clone(), xi.clone(), g1()),
            // Same triple asserted by a second source.
            Quad::new(jokowi.clone(), meets.clone(), xi.clone(), g2()),
            Quad::new(
                jokowi.clone(),
                label.clone(),
                Literal::new_language_tagged_literal("Joko Widodo", "id").unwrap(),
                g1(),
            ),
            Quad::new(jokowi.clone(), rdf::TYPE, person.clone(), g1()),
            Quad::new(xi.clone(), rdf::TYPE, person.clone(), g2()),
            Quad::new(event.clone(), meets.clone(), jokowi.clone(), g2()),
            Quad::new(
                event.clone(),
                label.clone(),
                Literal::new_simple_literal("KTT \"G20\"\nBali"),
                g2(),
            ),
            Quad::new(
                person.clone(),
                label.clone(),
                Literal::new_simple_literal("Person"),
                onto(),
            ),
            Quad::new(
                jokowi.clone(),
                nn(&format!("{WARTA}age")),
                Literal::from(64),
                GraphName::DefaultGraph,
            ),
        ];
        for q in &quads {
            store.insert(q).unwrap();
        }
        store
    }

    fn run(
        store: &Store,
        format: ExportFormat,
        graph: Option<NamedNode>,
        exclude: Option<NamedNode>,
    ) -> (usize, Vec<u8>) {
        let prefixes = prefixes();
        let opts = ExportOptions {
            format,
            graph,
            exclude_graph: exclude,
            prefixes: &prefixes,
        };
        let mut out = Vec::new();
        let n = export(store, &opts, &mut out).unwrap();
        (n, out)
    }

    fn parse(format: ExportFormat, bytes: &[u8]) -> Vec<Quad> {
        RdfParser::from_format(format.rdf_format())
            .for_slice(bytes)
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|e| {
                panic!(
                    "{format:?} output does not parse: {e}\n{}",
                    String::from_utf8_lossy(bytes)
                )
            })
    }

    #[test]
    fn parse_accepts_aliases_and_rejects_unknown() {
        for (name, f) in [
            ("turtle", ExportFormat::Turtle),
            ("TTL", ExportFormat::Turtle),
            ("ntriples", ExportFormat::NTriples),
            ("nt", ExportFormat::NTriples),
            ("nquads", ExportFormat::NQuads),
            ("nq", ExportFormat::NQuads),
            ("trig", ExportFormat::TriG),
            ("jsonld", ExportFormat::JsonLd),
            ("json-ld", ExportFormat::JsonLd),
            ("rdfxml", ExportFormat::RdfXml),
            ("xml", ExportFormat::RdfXml),
            ("rdf", ExportFormat::RdfXml),
        ] {
            assert_eq!(ExportFormat::parse(name), Some(f), "{name}");
        }
        assert_eq!(ExportFormat::parse("n3"), None);
        assert_eq!(ExportFormat::parse(""), None);
    }

    #[test]
    fn triple_formats_round_trip_deduplicated() {
        let store = sample_store();
        assert_eq!(store.len().unwrap(), 9);
        for format in [
            ExportFormat::Turtle,
            ExportFormat::NTriples,
            ExportFormat::JsonLd,
            ExportFormat::RdfXml,
        ] {
            let (n, out) = run(&store, format, None, None);
            assert_eq!(n, 8, "{format:?}");
            let parsed = parse(format, &out);
            assert_eq!(
                parsed.len(),
                8,
                "{format:?}\n{}",
                String::from_utf8_lossy(&out)
            );
            // Every parsed triple is in the store, in some graph.
            for q in &parsed {
                assert!(q.graph_name.is_default_graph());
                // Blank node labels may be renamed by the parser; check the rest.
                if q.subject.is_named_node() {
                    let found = store
                        .quads_for_pattern(
                            Some(q.subject.as_ref()),
                            Some(q.predicate.as_ref()),
                            None,
                            None,
                        )
                        .any(|x| x.unwrap().object == q.object || q.object.is_blank_node());
                    assert!(found, "{format:?}: {q} not in store");
                }
            }
        }
    }

    #[test]
    fn dataset_formats_round_trip_with_graphs() {
        let store = sample_store();
        for format in [ExportFormat::NQuads, ExportFormat::TriG] {
            let (n, out) = run(&store, format, None, None);
            assert_eq!(n, 9, "{format:?}");
            let parsed = parse(format, &out);
            assert_eq!(parsed.len(), 9, "{format:?}");
            let named: usize = parsed
                .iter()
                .filter(|q| !q.graph_name.is_default_graph())
                .count();
            assert_eq!(named, 8, "{format:?}");
            let reloaded = Store::new().unwrap();
            reloaded.extend(parsed).unwrap();
            assert_eq!(reloaded.len().unwrap(), 9);
            assert!(reloaded.contains_named_graph(&g2()).unwrap());
        }
    }

    #[test]
    fn turtle_is_readable() {
        let store = sample_store();
        let (_, out) = run(&store, ExportFormat::Turtle, None, None);
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(&format!("@prefix wd: <{WD}> .")), "{text}");
        assert!(
            text.contains(&format!("@prefix warta: <{WARTA}> .")),
            "{text}"
        );
        // Shortened names, with the type first in the subject block and the other
        // predicates of the same subject joined with ';'.
        assert!(text.contains("wd:Q7747 a warta:Person ;"), "{text}");
        assert!(text.contains("warta:meets wd:Q15031"), "{text}");
        // The duplicated triple appears once.
        assert_eq!(text.matches("warta:meets wd:Q15031").count(), 1, "{text}");
        // Each IRI subject starts exactly one block (grouping).
        assert_eq!(
            text.lines().filter(|l| l.starts_with("wd:Q7747 ")).count(),
            1,
            "{text}"
        );
        // Named subjects before blank ones.
        let named = text.find("wd:Q7747 ").unwrap();
        let blank = text.find("_:e1").unwrap();
        assert!(named < blank, "{text}");
    }

    #[test]
    fn graph_restriction() {
        let store = sample_store();
        let (n, out) = run(&store, ExportFormat::NTriples, Some(g2()), None);
        assert_eq!(n, 4);
        assert_eq!(parse(ExportFormat::NTriples, &out).len(), 4);
        let (n, out) = run(&store, ExportFormat::NQuads, Some(g2()), None);
        assert_eq!(n, 4);
        let parsed = parse(ExportFormat::NQuads, &out);
        assert!(parsed.iter().all(|q| q.graph_name == GraphName::from(g2())));
        let (n, out) = run(&store, ExportFormat::TriG, Some(g1()), None);
        assert_eq!(n, 3);
        assert_eq!(parse(ExportFormat::TriG, &out).len(), 3);
        // A graph that does not exist gives an empty export, not an error.
        let (n, _) = run(
            &store,
            ExportFormat::Turtle,
            Some(nn("https://warta.example/graph/none")),
            None,
        );
        assert_eq!(n, 0);
    }

    #[test]
    fn exclude_graph() {
        let store = sample_store();
        let (n, out) = run(&store, ExportFormat::Turtle, None, Some(onto()));
        assert_eq!(n, 7);
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("\"Person\""), "{text}");
        let (n, out) = run(&store, ExportFormat::NQuads, None, Some(onto()));
        assert_eq!(n, 8);
        assert!(parse(ExportFormat::NQuads, &out)
            .iter()
            .all(|q| q.graph_name != GraphName::from(onto())));
        let (n, _) = run(&store, ExportFormat::TriG, None, Some(g2()));
        assert_eq!(n, 5);
        // Excluding the selected graph leaves nothing.
        let (n, _) = run(&store, ExportFormat::NTriples, Some(g1()), Some(g1()));
        assert_eq!(n, 0);
    }

    #[test]
    fn bad_prefix_is_an_error_not_a_panic() {
        let store = sample_store();
        let bad_name = vec![("1wd", WD.to_owned())];
        let bad_iri = vec![("wd", "not an iri".to_owned())];
        for prefixes in [&bad_name, &bad_iri] {
            let opts = ExportOptions {
                format: ExportFormat::Turtle,
                graph: None,
                exclude_graph: None,
                prefixes,
            };
            let err = export(&store, &opts, &mut Vec::new()).unwrap_err();
            assert!(matches!(err, ExportError::InvalidPrefix { .. }), "{err}");
        }
        assert!(is_valid_prefix_name(""));
        assert!(is_valid_prefix_name("wd-2.x"));
        assert!(!is_valid_prefix_name("wd."));
    }

    #[test]
    fn rdfxml_unrepresentable_predicate_is_reported() {
        let store = Store::new().unwrap();
        store
            .insert(&Quad::new(
                nn("http://e.x/s"),
                nn("http://e.x/p/1"),
                nn("http://e.x/o"),
                GraphName::DefaultGraph,
            ))
            .unwrap();
        let opts = ExportOptions {
            format: ExportFormat::RdfXml,
            graph: None,
            exclude_graph: None,
            prefixes: &[],
        };
        let mut out = Vec::new();
        match export(&store, &opts, &mut out) {
            Err(ExportError::Unrepresentable(_)) => {}
            other => panic!("expected Unrepresentable, got {other:?}"),
        }
        assert!(out.is_empty(), "nothing is written on failure");
        // Same for a class that would open a typed-node element.
        let store = Store::new().unwrap();
        store
            .insert(&Quad::new(
                nn("http://e.x/s"),
                rdf::TYPE,
                nn("http://e.x/class/7"),
                GraphName::DefaultGraph,
            ))
            .unwrap();
        assert!(matches!(
            export(&store, &opts, &mut Vec::new()),
            Err(ExportError::Unrepresentable(_))
        ));
        assert!(has_xml_local_name(
            "http://www.wikidata.org/prop/direct/P31"
        ));
        assert!(has_xml_local_name("https://warta.example/ns#meets"));
        assert!(!has_xml_local_name("http://e.x/ns#"));
        assert!(!has_xml_local_name("http://e.x/p/1"));
    }

    fn canonical(store: &Store, graph: Option<&NamedNode>) -> (usize, Vec<u8>) {
        let mut out = Vec::new();
        let n = export_canonical(store, graph, &mut out).unwrap();
        (n, out)
    }

    fn canon_quads(label: &str, literal: &str) -> Vec<Quad> {
        let b = BlankNode::new(label).unwrap();
        let s = nn("http://e.x/s");
        let p = nn("http://e.x/p");
        vec![
            Quad::new(s.clone(), p.clone(), b.clone(), g1()),
            Quad::new(
                b.clone(),
                p.clone(),
                Literal::new_simple_literal(literal),
                g1(),
            ),
            Quad::new(
                b.clone(),
                rdf::TYPE,
                nn("http://e.x/Event"),
                GraphName::DefaultGraph,
            ),
            Quad::new(
                s.clone(),
                p.clone(),
                Literal::new_language_tagged_literal("halo", "id").unwrap(),
                g2(),
            ),
            Quad::new(s, nn("http://e.x/n"), Literal::from(3), g2()),
        ]
    }

    #[test]
    fn canonical_is_independent_of_insertion_order_and_labels() {
        let a = Store::new().unwrap();
        for q in canon_quads("x", "KTT") {
            a.insert(&q).unwrap();
        }
        let b = Store::new().unwrap();
        for q in canon_quads("other", "KTT").into_iter().rev() {
            b.insert(&q).unwrap();
        }
        let (na, ca) = canonical(&a, None);
        let (nb, cb) = canonical(&b, None);
        assert_eq!(na, 5);
        assert_eq!(nb, 5);
        assert_eq!(ca, cb);
        let text = String::from_utf8(ca.clone()).unwrap();
        assert!(text.contains("_:c14n0"), "{text}");
        assert_eq!(text.lines().count(), 5);
        // The canonical form is valid N-Quads with the same content.
        assert_eq!(parse(ExportFormat::NQuads, &ca).len(), 5);
    }

    #[test]
    fn canonical_changes_with_a_literal() {
        let a = Store::new().unwrap();
        let b = Store::new().unwrap();
        for q in canon_quads("x", "KTT") {
            a.insert(&q).unwrap();
        }
        for q in canon_quads("x", "KTT G20") {
            b.insert(&q).unwrap();
        }
        assert_ne!(canonical(&a, None).1, canonical(&b, None).1);
    }

    #[test]
    fn canonical_graph_restriction() {
        let store = Store::new().unwrap();
        for q in canon_quads("x", "KTT") {
            store.insert(&q).unwrap();
        }
        let (n, out) = canonical(&store, Some(&g2()));
        assert_eq!(n, 2);
        let parsed = parse(ExportFormat::NQuads, &out);
        assert!(parsed.iter().all(|q| q.graph_name == GraphName::from(g2())));
    }

    #[test]
    fn write_triples_sorts_and_deduplicates() {
        let s = nn("http://e.x/s");
        let t = Triple::new(
            s.clone(),
            nn("http://e.x/p"),
            Literal::new_simple_literal("v"),
        );
        let ty = Triple::new(s, rdf::TYPE, nn("http://e.x/C"));
        let mut out = Vec::new();
        let n = write_triples(
            vec![t.clone(), ty, t],
            ExportFormat::NTriples,
            &[],
            &mut out,
        )
        .unwrap();
        assert_eq!(n, 2);
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.lines()
                .next()
                .unwrap()
                .contains("22-rdf-syntax-ns#type"),
            "{text}"
        );
    }
}
