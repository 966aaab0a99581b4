//! Terms of office from a Wikidata SPARQL endpoint, for
//! `warta refresh-positions`.
//!
//! Wikidata records an office holder as a P39 ("position held") statement on
//! the person, with P580 (start) and P582 (end) qualifiers whose precision (9
//! year, 10 month, 11 day) says how much of each date is known.
//! `ontology/wikidata/offices.tsv` maps each office item to warta's
//! (position, holder_of) pair; one office may give two pairs (the US
//! president is head of state and head of government).
//! `ontology/wikidata/positions.rq` asks for every statement of those offices.
//! [`convert`] turns each statement into a `positions.tsv` term and skips,
//! with a warning, the ones warta cannot use (no start, a date less precise
//! than a year, an end before the start).
//!
//! Nothing here writes `ontology/positions.tsv`: that file holds
//! hand-verified rows, each with its own source. The refreshed rows go to a
//! file of their own, [`compare`] says how they differ from the curated file,
//! and [`people_rows`] proposes gazetteer rows for holders warta does not know
//! yet. A person merges them (`ontology/GAZETTEER.md`, *Refreshing from
//! Wikidata*).

use oxrdf::Term;
use sparesults::{
    QueryResultsFormat, QueryResultsParser, QuerySolution, ReaderQueryResultsParserOutput,
};
use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::time::Duration;
use warta_extract::model::EntityType;
use warta_extract::ontology::gazetteer::is_qid;
use warta_extract::ontology::positions::HEADER;
use warta_extract::ontology::{Gazetteer, PartialDate, Position, Positions};

/// The Wikidata Query Service.
pub const DEFAULT_ENDPOINT: &str = "https://query.wikidata.org/sparql";
/// The shipped office list (`ontology/wikidata/offices.tsv`).
pub const OFFICES: &str = include_str!("../../../ontology/wikidata/offices.tsv");
/// The shipped query template (`ontology/wikidata/positions.rq`).
pub const QUERY: &str = include_str!("../../../ontology/wikidata/positions.rq");
/// The columns of the proposed gazetteer rows (`ontology/sources/people.tsv`).
pub const PEOPLE_HEADER: [&str; 10] = [
    "qid",
    "type",
    "label_en",
    "label_id",
    "aliases_en",
    "aliases_id",
    "extra",
    "confidence",
    "source",
    "note",
];
/// The lines between which the query template lists the offices.
const BEGIN: &str = "# OFFICES BEGIN";
const END: &str = "# OFFICES END";
const ENTITY: &str = "http://www.wikidata.org/entity/";
/// Largest answer read: the full office list gives well under 1 MB.
const MAX_ANSWER: u64 = 64 << 20;

/// What stops a refresh. Skipped statements are warnings, not errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RefreshError {
    /// A table (the offices, a gazetteer) is malformed at this line.
    #[error("{file}:{line}: {message}")]
    Table {
        file: String,
        line: usize,
        message: String,
    },
    /// The query template cannot take the office list.
    #[error("{file}: {message}")]
    Template { file: String, message: String },
    /// The endpoint could not be asked, or its answer is not SPARQL results.
    #[error("{endpoint}: {message}")]
    Endpoint { endpoint: String, message: String },
    #[error("--today {0:?} is not a date (YYYY-MM-DD)")]
    Today(String),
}

/// One row of the office list: a Wikidata office item and the
/// (position, holder_of) pair its holders get in `positions.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    pub qid: String,
    pub position: Position,
    pub holder_of: String,
    /// The office's English name, written into each row.
    pub label: String,
}

/// A Wikidata time value and its precision, as the endpoint gave them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WikidataTime {
    /// The `xsd:dateTime` lexical form, `2009-01-20T00:00:00Z`.
    pub value: String,
    /// `9` year, `10` month, `11` day (finer precisions count as day).
    pub precision: String,
}

/// One P39 statement of the answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Statement {
    pub person: Option<String>,
    pub office: Option<String>,
    /// The statement's IRI, for warnings.
    pub id: String,
    pub start: Option<WikidataTime>,
    pub end: Option<WikidataTime>,
    pub label_en: String,
    pub label_id: String,
}

/// One refreshed term, ready for `positions.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshedTerm {
    pub person: String,
    pub position: Position,
    pub holder_of: String,
    pub office_label: String,
    pub office_qid: String,
    pub start: PartialDate,
    pub end: Option<PartialDate>,
}

/// A holder seen in the answer: the labels and offices for a gazetteer row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Holder {
    pub label_en: String,
    pub label_id: String,
    /// Office labels, in the order first seen.
    pub offices: Vec<String>,
    /// The holder_of of the first office seen.
    pub holder_of: String,
}

/// What [`convert`] made of an answer.
#[derive(Debug, Clone, Default)]
pub struct Refresh {
    /// Sorted as the office list orders holders, then by position, start
    /// and person.
    pub terms: Vec<RefreshedTerm>,
    /// QID -> what the answer says about that person.
    pub holders: BTreeMap<String, Holder>,
    /// Statements skipped or merged, one line each.
    pub warnings: Vec<String>,
}

/// The people and countries a gazetteer already has, to know which holders
/// are new.
#[derive(Debug, Clone, Default)]
pub struct Known {
    persons: HashSet<String>,
    countries: HashSet<String>,
}

impl Known {
    /// From a loaded gazetteer.
    pub fn of(gazetteer: &Gazetteer) -> Known {
        let mut known = Known::default();
        for e in gazetteer.entries() {
            match e.entity_type {
                EntityType::Person => known.persons.insert(e.id.clone()),
                EntityType::Country => known.countries.insert(e.id.clone()),
                _ => false,
            };
        }
        known
    }

    /// From a `gazetteer.tsv` file's text: only its `qid` and `type` columns
    /// are read.
    pub fn from_tsv(text: &str, file: &str) -> Result<Known, RefreshError> {
        let table = Table::parse(text, file)?;
        let (qid, kind) = (table.column("qid")?, table.column("type")?);
        let mut known = Known::default();
        for row in &table.rows {
            match row.cells[kind] {
                "Person" => known.persons.insert(row.cells[qid].to_string()),
                "Country" => known.countries.insert(row.cells[qid].to_string()),
                _ => false,
            };
        }
        Ok(known)
    }

    pub fn is_person(&self, qid: &str) -> bool {
        self.persons.contains(qid)
    }

    pub fn is_country(&self, qid: &str) -> bool {
        self.countries.contains(qid)
    }
}

/// A tab-separated table: `#` comments first, one header line, then rows.
struct Table<'a> {
    file: &'a str,
    header: Vec<&'a str>,
    rows: Vec<Row<'a>>,
}

struct Row<'a> {
    line: usize,
    cells: Vec<&'a str>,
}

impl<'a> Table<'a> {
    fn parse(text: &'a str, file: &'a str) -> Result<Table<'a>, RefreshError> {
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
            .filter(|(_, l)| !l.trim().is_empty())
            .skip_while(|(_, l)| l.starts_with('#'));
        let header: Vec<&str> = match lines.next() {
            Some((_, h)) => h.split('\t').collect(),
            None => return Err(table_error(file, 1, "no header line".to_string())),
        };
        let mut rows = Vec::new();
        for (line, text) in lines {
            let cells: Vec<&str> = text.split('\t').collect();
            if cells.len() != header.len() {
                let message = format!(
                    "{} tab-separated cells, the header has {}",
                    cells.len(),
                    header.len()
                );
                return Err(table_error(file, line, message));
            }
            rows.push(Row { line, cells });
        }
        Ok(Table { file, header, rows })
    }

    fn column(&self, name: &str) -> Result<usize, RefreshError> {
        self.header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| table_error(self.file, 1, format!("the header has no column {name:?}")))
    }
}

fn table_error(file: &str, line: usize, message: String) -> RefreshError {
    RefreshError::Table {
        file: file.to_string(),
        line,
        message,
    }
}

/// Parses and checks the office list (columns `office`, `position`,
/// `holder_of`, `label`; others are for people).
pub fn parse_offices(text: &str, file: &str) -> Result<Vec<Office>, RefreshError> {
    let table = Table::parse(text, file)?;
    let [office, position, holder_of, label] =
        ["office", "position", "holder_of", "label"].map(|c| table.column(c));
    let (office, position, holder_of, label) = (office?, position?, holder_of?, label?);
    let mut offices = Vec::new();
    for row in &table.rows {
        let bad = |message: String| table_error(file, row.line, message);
        let (qid, holder) = (row.cells[office], row.cells[holder_of]);
        if !is_qid(qid) || !is_qid(holder) {
            return Err(bad(format!(
                "office and holder_of must be QIDs, found {qid:?} and {holder:?}"
            )));
        }
        let pos = Position::parse(row.cells[position]).ok_or_else(|| {
            let all: Vec<&str> = Position::ALL.iter().map(|p| p.as_str()).collect();
            bad(format!(
                "unknown position {:?} (one of {})",
                row.cells[position],
                all.join(", ")
            ))
        })?;
        if row.cells[label].trim().is_empty() {
            return Err(bad("empty label".to_string()));
        }
        offices.push(Office {
            qid: qid.to_string(),
            position: pos,
            holder_of: holder.to_string(),
            label: row.cells[label].trim().to_string(),
        });
    }
    if offices.is_empty() {
        return Err(table_error(file, 1, "no offices".to_string()));
    }
    Ok(offices)
}

/// The office items, each once, in list order.
pub fn office_qids(offices: &[Office]) -> Vec<&str> {
    let mut seen = HashSet::new();
    offices
        .iter()
        .map(|o| o.qid.as_str())
        .filter(|q| seen.insert(*q))
        .collect()
}

/// The template with the lines between its marker lines replaced by a
/// `VALUES ?office { ... }` block of the offices.
pub fn build_query(template: &str, file: &str, offices: &[Office]) -> Result<String, RefreshError> {
    let (start, end) = match (template.find(BEGIN), template.find(END)) {
        (Some(s), Some(e)) if s < e => (s + BEGIN.len(), e),
        _ => {
            return Err(RefreshError::Template {
                file: file.to_string(),
                message: format!("the query must contain the lines {BEGIN:?} and {END:?}"),
            })
        }
    };
    let values: Vec<String> = office_qids(offices)
        .iter()
        .map(|q| format!("wd:{q}"))
        .collect();
    Ok(format!(
        "{}\n  VALUES ?office {{ {} }}\n  {}",
        &template[..start],
        values.join(" "),
        &template[end..]
    ))
}

/// A SPARQL endpoint asked over HTTP (the SPARQL 1.1 Protocol, query by
/// POST form).
pub struct Endpoint {
    url: String,
    agent: ureq::Agent,
    timeout: Duration,
}

impl Endpoint {
    /// An endpoint at `url` (http or https) with a whole-request `timeout`.
    pub fn new(url: &str, timeout: Duration) -> Result<Endpoint, RefreshError> {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(RefreshError::Endpoint {
                endpoint: url.to_string(),
                message: "expected an http:// or https:// URL".to_string(),
            });
        }
        let agent = crate::agent(timeout);
        Ok(Endpoint {
            url: url.to_string(),
            agent,
            timeout,
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Runs a SELECT query and reads the P39 statements from its answer
    /// (SPARQL JSON, XML or TSV results, by the answer's media type).
    pub fn statements(&self, query: &str) -> Result<Vec<Statement>, RefreshError> {
        let fail = |message: String| RefreshError::Endpoint {
            endpoint: self.url.clone(),
            message,
        };
        let answer = self
            .agent
            .post(&self.url)
            .header(
                "Accept",
                "application/sparql-results+json, application/sparql-results+xml;q=0.8",
            )
            .send_form([("query", query)]);
        let mut response = answer.map_err(|e| {
            fail(match e {
                ureq::Error::Timeout(_) => {
                    format!("no answer within {} s", self.timeout.as_secs_f64())
                }
                other => other.to_string(),
            })
        })?;
        let status = response.status();
        let media = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/sparql-results+json")
            .to_string();
        let body = response.body_mut().with_config().limit(MAX_ANSWER).reader();
        if !status.is_success() {
            let mut detail = String::new();
            let _ = body.take(500).read_to_string(&mut detail);
            return Err(fail(format!("HTTP {status}: {}", detail.trim())));
        }
        read_statements(body, &media).map_err(fail)
    }
}

/// The statements of a SPARQL results document of media type `media`.
pub fn read_statements(body: impl Read, media: &str) -> Result<Vec<Statement>, String> {
    let format = match QueryResultsFormat::from_media_type(media) {
        Some(QueryResultsFormat::Csv) | None => {
            return Err(format!(
                "answered {media:?}, not SPARQL JSON, XML or TSV results"
            ))
        }
        Some(f) => f,
    };
    let parsed = QueryResultsParser::from_format(format)
        .for_reader(body)
        .map_err(|e| format!("not SPARQL results: {e}"))?;
    let ReaderQueryResultsParserOutput::Solutions(solutions) = parsed else {
        return Err("answered a boolean, not solutions".to_string());
    };
    solutions
        .map(|s| {
            s.map(|s| statement(&s))
                .map_err(|e| format!("not SPARQL results: {e}"))
        })
        .collect()
}

fn statement(s: &QuerySolution) -> Statement {
    let text = |var: &str| match s.get(var) {
        Some(Term::Literal(l)) => l.value().trim().to_string(),
        Some(Term::NamedNode(n)) => n.as_str().to_string(),
        _ => String::new(),
    };
    let time = |value: &str, precision: &str| {
        s.get(value).map(|_| WikidataTime {
            value: text(value),
            precision: text(precision),
        })
    };
    Statement {
        person: item(s.get("person")),
        office: item(s.get("office")),
        id: Some(text("statement"))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "?".to_string()),
        start: time("start", "startPrecision"),
        end: time("end", "endPrecision"),
        label_en: text("labelEn"),
        label_id: text("labelId"),
    }
}

/// The QID of a Wikidata entity IRI.
fn item(term: Option<&Term>) -> Option<String> {
    let Some(Term::NamedNode(n)) = term else {
        return None;
    };
    n.as_str()
        .strip_prefix(ENTITY)
        .filter(|q| is_qid(q))
        .map(str::to_string)
}

/// A Wikidata time as warta's partial date: `2009-01-20T00:00:00Z` at
/// precision 11 is `2009-01-20`, at 10 `2009-01`, at 9 `2009`. Coarser
/// precisions, negative years, years past 9999 and impossible days give
/// `None`.
pub fn partial_date(time: &WikidataTime) -> Option<PartialDate> {
    let precision: u8 = time.precision.parse().ok()?;
    let v = time.value.strip_prefix('+').unwrap_or(&time.value);
    // ASCII, so that the cuts below fall on character boundaries.
    let date = v
        .get(..10)
        .filter(|d| d.is_ascii() && v.as_bytes().get(10) == Some(&b'T'))?;
    let text = match precision {
        11.. => date,
        10 => &date[..7],
        9 => &date[..4],
        _ => return None,
    };
    PartialDate::parse(text)
}

/// Turns statements into terms: one per (statement, matching office row),
/// skipping what warta cannot use, with a warning for each.
pub fn convert(statements: &[Statement], offices: &[Office]) -> Refresh {
    let mut refresh = Refresh::default();
    let mut terms: BTreeMap<(String, Position, String, String), RefreshedTerm> = BTreeMap::new();
    for s in statements {
        let Some((person, start, end)) = usable(s, offices, &mut refresh.warnings) else {
            continue;
        };
        let holder = refresh.holders.entry(person.clone()).or_default();
        if holder.label_en.is_empty() && holder.label_id.is_empty() {
            holder.label_en = s.label_en.clone();
            holder.label_id = s.label_id.clone();
        }
        for o in offices
            .iter()
            .filter(|o| s.office.as_deref() == Some(&o.qid))
        {
            let term = RefreshedTerm {
                person: person.clone(),
                position: o.position,
                holder_of: o.holder_of.clone(),
                office_label: o.label.clone(),
                office_qid: o.qid.clone(),
                start,
                end,
            };
            let key = (
                person.clone(),
                o.position,
                o.holder_of.clone(),
                start.to_string(),
            );
            if let Some(old) = terms.get(&key) {
                // Two statements for one term: the one that knows the end wins.
                if old == &term || (old.end.is_some() && end.is_none()) {
                    continue;
                }
                refresh.warnings.push(format!(
                    "{person} {} {} {start}: two statements differ; kept end {}",
                    o.position,
                    o.holder_of,
                    end.map_or("(none)".to_string(), |e| e.to_string())
                ));
            }
            terms.insert(key, term);
            if !holder.offices.contains(&o.label) {
                holder.offices.push(o.label.clone());
            }
            if holder.holder_of.is_empty() {
                holder.holder_of = o.holder_of.clone();
            }
        }
    }
    refresh.terms = terms.into_values().collect();
    sort_terms(&mut refresh.terms, offices);
    refresh
}

/// The person, start and end of a statement warta can use; otherwise a
/// warning saying why not.
fn usable(
    s: &Statement,
    offices: &[Office],
    warnings: &mut Vec<String>,
) -> Option<(String, PartialDate, Option<PartialDate>)> {
    let listed = s
        .office
        .as_deref()
        .is_some_and(|q| offices.iter().any(|o| o.qid == q));
    let (Some(person), Some(office), true) = (&s.person, &s.office, listed) else {
        warnings.push(format!(
            "skipped a result without a person or a listed office ({})",
            s.id
        ));
        return None;
    };
    let mut skip = |why: String| {
        warnings.push(format!("{person} {office}: {why}, skipped ({})", s.id));
        None
    };
    let Some(start_time) = &s.start else {
        return skip("no start date (P580)".to_string());
    };
    let Some(start) = partial_date(start_time) else {
        return skip(format!(
            "start {:?} at precision {:?} is not usable",
            start_time.value, start_time.precision
        ));
    };
    let end = match &s.end {
        None => None,
        Some(t) => match partial_date(t) {
            Some(end) => Some(end),
            None => return skip(format!("end {:?} is not usable", t.value)),
        },
    };
    if end.is_some_and(|e| e.last_day() < start.first_day()) {
        return skip(format!("end {} before start {start}", end?));
    }
    Some((person.clone(), start, end))
}

/// Holders in office-list order (by holder_of), then position, start, and
/// the person's QID by number.
fn sort_terms(terms: &mut [RefreshedTerm], offices: &[Office]) {
    let rank = |holder: &str| {
        offices
            .iter()
            .position(|o| o.holder_of == holder)
            .unwrap_or(offices.len())
    };
    let number = |q: &str| q[1..].parse::<u64>().unwrap_or(u64::MAX);
    terms.sort_by(|a, b| {
        (
            rank(&a.holder_of),
            &a.holder_of,
            a.position,
            a.start.to_string(),
        )
            .cmp(&(
                rank(&b.holder_of),
                &b.holder_of,
                b.position,
                b.start.to_string(),
            ))
            .then_with(|| number(&a.person).cmp(&number(&b.person)))
    });
}

/// The refreshed terms as a `positions.tsv` file: the `# refreshed:` line
/// warta's loader reads, a comment, the header, the rows (confidence `A`,
/// source `wikidata-sparql:<today>`).
pub fn positions_tsv(refresh: &Refresh, offices: &[Office], endpoint: &str, today: &str) -> String {
    let mut out = format!(
        "# refreshed: {today} from {endpoint}\n\
         # generated by `warta refresh-positions` for offices {}; review, then merge into ontology/positions.tsv\n{}\n",
        office_qids(offices).join(" "),
        HEADER.join("\t")
    );
    for t in &refresh.terms {
        let end = t.end.map(|e| e.to_string()).unwrap_or_default();
        out.push_str(&format!(
            "{}\t{}\t{}\t{} ({})\t{}\t{end}\tA\twikidata-sparql:{today}\n",
            t.person, t.position, t.holder_of, t.office_label, t.office_qid, t.start
        ));
    }
    out
}

/// Proposed `ontology/sources/people.tsv` rows for the holders `known`
/// lacks, and a warning for each holder with no English label (no row).
pub fn people_rows(
    refresh: &Refresh,
    known: &Known,
    endpoint: &str,
    today: &str,
) -> (String, usize, Vec<String>) {
    let mut out = format!("{}\n", PEOPLE_HEADER.join("\t"));
    let mut warnings = Vec::new();
    let mut new: Vec<(&String, &Holder)> = refresh
        .holders
        .iter()
        .filter(|(q, _)| !known.is_person(q))
        .collect();
    new.sort_by_key(|(q, _)| q[1..].parse::<u64>().unwrap_or(u64::MAX));
    let mut rows = 0;
    for (qid, h) in new {
        if h.label_en.is_empty() {
            warnings.push(format!(
                "{qid}: no English label; no people row written (label it by hand)"
            ));
            continue;
        }
        let mut extra = vec![format!("position={}", h.offices.join(" / "))];
        if known.is_country(&h.holder_of) {
            extra.push(format!("country={}", h.holder_of));
        }
        // The people file's own separators may not appear inside a cell.
        let clean = |s: &str| s.replace('\t', " ").replace('|', "/").replace(';', ",");
        out.push_str(&format!(
            "{qid}\tPerson\t{}\t{}\t\t\t{}\tA\twikidata-sparql:{today}\t\
             QID, labels and P39 term from {endpoint} on {today}; add the aliases news uses before merging\n",
            clean(&h.label_en),
            clean(&h.label_id),
            extra.join(";")
        ));
        rows += 1;
    }
    (out, rows, warnings)
}

/// How the refreshed terms differ from a curated `positions.tsv`: a line per
/// new term or changed end, then a count.
pub fn compare(refresh: &Refresh, curated: &Positions, curated_name: &str) -> Vec<String> {
    let (mut same, mut changed, mut new) = (0, 0, 0);
    let mut lines = Vec::new();
    let show = |d: Option<PartialDate>, none: &str| d.map_or(none.to_string(), |d| d.to_string());
    for t in &refresh.terms {
        let mine: Vec<_> = curated
            .terms_of(&t.person)
            .into_iter()
            .filter(|c| c.position == t.position && c.holder_of == t.holder_of)
            .collect();
        if mine.iter().any(|c| c.start == t.start && c.end == t.end) {
            same += 1;
        } else if let Some(c) = mine.iter().find(|c| c.start == t.start) {
            changed += 1;
            lines.push(format!(
                "changed: {} {} {} from {}: end {} -> {}",
                t.person,
                t.position,
                t.holder_of,
                t.start,
                show(c.end, "(none)"),
                show(t.end, "(none)")
            ));
        } else {
            new += 1;
            lines.push(format!(
                "new: {} {} {} {} .. {}",
                t.person,
                t.position,
                t.holder_of,
                t.start,
                show(t.end, "(in office)")
            ));
        }
    }
    lines.push(format!(
        "compared with {curated_name}: {same} same, {changed} changed end, {new} new"
    ));
    lines
}

/// `today` checked as a calendar date, or today's UTC date.
pub fn refresh_date(today: Option<&str>) -> Result<String, RefreshError> {
    match today {
        Some(t) => t
            .parse::<jiff::civil::Date>()
            .ok()
            .filter(|d| d.to_string() == t)
            .map(|d| d.to_string())
            .ok_or_else(|| RefreshError::Today(t.to_string())),
        None => Ok(jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
            .to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(value: &str, precision: &str) -> WikidataTime {
        WikidataTime {
            value: value.to_string(),
            precision: precision.to_string(),
        }
    }

    fn offices() -> Vec<Office> {
        parse_offices(OFFICES, "offices.tsv").expect("the shipped office list loads")
    }

    #[test]
    fn wikidata_times_keep_only_the_precision_they_have() {
        let d = |v: &str, p: &str| partial_date(&time(v, p)).map(|d| d.to_string());
        assert_eq!(
            d("2009-01-20T00:00:00Z", "11").as_deref(),
            Some("2009-01-20")
        );
        assert_eq!(
            d("+2009-01-20T00:00:00Z", "14").as_deref(),
            Some("2009-01-20")
        );
        assert_eq!(d("2014-05-00T00:00:00Z", "10").as_deref(), Some("2014-05"));
        assert_eq!(d("2014-00-00T00:00:00Z", "9").as_deref(), Some("2014"));
        assert_eq!(d("1990-01-01T00:00:00Z", "8"), None, "a decade");
        assert_eq!(d("2014-02-30T00:00:00Z", "11"), None, "no such day");
        assert_eq!(d("-0044-03-15T00:00:00Z", "11"), None, "before year 1");
        assert_eq!(d("2014-05-01", "11"), None, "not a dateTime");
        assert_eq!(d("2014-05-01T00:00:00Z", "day"), None);
        assert_eq!(
            d("201\u{e9}-0-01T00:00:00Z", "10"),
            None,
            "not ASCII: no panic"
        );
    }

    #[test]
    fn the_shipped_offices_and_query_fit_together() {
        let o = offices();
        assert!(o.iter().any(|o| o.qid == "Q11696" && o.holder_of == "Q30"));
        let q = build_query(QUERY, "positions.rq", &o).expect("markers present");
        assert!(q.contains("VALUES ?office { wd:Q11696 wd:Q218295 "), "{q}");
        assert_eq!(q.matches("wd:Q11696").count(), 1, "an office is asked once");
        assert!(q.contains(BEGIN) && q.contains(END));
        let err = build_query("SELECT * {}", "x.rq", &o)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x.rq: the query must contain"), "{err}");
    }

    #[test]
    fn a_bad_office_row_is_named_by_file_and_line() {
        let head = "# c\noffice\tposition\tholder_of\tlabel\n";
        let err = |rows: &str| {
            parse_offices(&format!("{head}{rows}"), "o.tsv")
                .unwrap_err()
                .to_string()
        };
        assert!(err("Q1\tking\tQ2\tKing\n").starts_with("o.tsv:3: unknown position \"king\""));
        assert!(err("Q1\tleader\tUN\tX\n").starts_with("o.tsv:3: office and holder_of"));
        assert!(err("Q1\tleader\tQ2\n").starts_with("o.tsv:3: 3 tab-separated cells"));
        assert!(err("").starts_with("o.tsv:1: no offices"));
    }

    fn stmt(person: &str, office: &str, start: Option<&str>, end: Option<&str>) -> Statement {
        Statement {
            person: Some(person.to_string()),
            office: Some(office.to_string()),
            id: format!("s-{person}-{office}"),
            start: start.map(|s| time(s, "11")),
            end: end.map(|s| time(s, "11")),
            label_en: format!("Person {person}"),
            label_id: String::new(),
        }
    }

    #[test]
    fn statements_become_sorted_terms_and_the_unusable_ones_warnings() {
        let o = offices();
        let t = "T00:00:00Z";
        let answer = vec![
            stmt("Q22686", "Q11696", Some(&format!("2025-01-20{t}")), None),
            stmt(
                "Q76",
                "Q11696",
                Some(&format!("2009-01-20{t}")),
                Some(&format!("2017-01-20{t}")),
            ),
            stmt("Q9", "Q11696", None, None),
            stmt(
                "Q8",
                "Q11696",
                Some(&format!("2020-01-01{t}")),
                Some(&format!("2019-01-01{t}")),
            ),
            stmt("Q7", "Q99999", Some(&format!("2020-01-01{t}")), None),
            // the same term twice: the statement with the end is kept
            stmt("Q76", "Q11696", Some(&format!("2009-01-20{t}")), None),
        ];
        let r = convert(&answer, &o);
        let rows: Vec<String> = r
            .terms
            .iter()
            .map(|t| {
                format!(
                    "{} {} {:?}",
                    t.person,
                    t.position,
                    t.end.map(|e| e.to_string())
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                "Q76 head_of_state Some(\"2017-01-20\")",
                "Q22686 head_of_state None",
                "Q76 head_of_government Some(\"2017-01-20\")",
                "Q22686 head_of_government None",
            ]
        );
        let w = r.warnings.join("\n");
        assert!(w.contains("Q9 Q11696: no start date (P580)"), "{w}");
        assert!(
            w.contains("Q8 Q11696: end 2019-01-01 before start 2020-01-01"),
            "{w}"
        );
        assert!(
            w.contains("without a person or a listed office (s-Q7-Q99999)"),
            "{w}"
        );
        assert_eq!(r.warnings.len(), 3, "{w}");
        let tsv = positions_tsv(&r, &o, "http://x/sparql", "2026-12-02");
        let p = Positions::parse(&tsv, "refreshed.tsv", &|q| q == "Q76" || q == "Q22686")
            .expect("warta's own loader reads the output");
        assert_eq!(p.refreshed(), Some("2026-12-02"));
        assert_eq!(p.len(), 4);
    }

    #[test]
    fn people_rows_are_proposed_only_for_new_holders() {
        let o = offices();
        let t = "T00:00:00Z";
        let r = convert(
            &[
                stmt("Q76", "Q11696", Some(&format!("2009-01-20{t}")), None),
                stmt("Q5", "Q11696", Some(&format!("1900-01-20{t}")), None),
                Statement {
                    label_en: String::new(),
                    ..stmt("Q6", "Q11696", Some(&format!("1901-01-20{t}")), None)
                },
            ],
            &o,
        );
        let known = Known::from_tsv("qid\ttype\nQ76\tPerson\nQ30\tCountry\n", "g.tsv")
            .expect("a gazetteer");
        let (tsv, rows, warnings) = people_rows(&r, &known, "http://x/sparql", "2026-12-02");
        assert_eq!(rows, 1);
        let line = tsv.lines().nth(1).expect("one row");
        assert!(
            line.starts_with("Q5\tPerson\tPerson Q5\t\t\t\tposition=President of the United States;country=Q30\tA\t"),
            "{line}"
        );
        assert_eq!(
            warnings,
            ["Q6: no English label; no people row written (label it by hand)"]
        );
    }

    #[test]
    fn sparql_results_are_read_in_json_xml_and_tsv() {
        let json = r#"{"head":{"vars":["person","office","start","startPrecision"]},"results":{"bindings":[
            {"person":{"type":"uri","value":"http://www.wikidata.org/entity/Q76"},
             "office":{"type":"uri","value":"http://www.wikidata.org/entity/Q11696"},
             "start":{"type":"literal","datatype":"http://www.w3.org/2001/XMLSchema#dateTime","value":"2009-01-20T00:00:00Z"},
             "startPrecision":{"type":"literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"11"}}]}}"#;
        let s = read_statements(
            json.as_bytes(),
            "application/sparql-results+json; charset=utf-8",
        )
        .expect("JSON results");
        assert_eq!(s[0].person.as_deref(), Some("Q76"));
        assert_eq!(s[0].start, Some(time("2009-01-20T00:00:00Z", "11")));
        let tsv =
            "?person\t?office\n<http://www.wikidata.org/entity/Q76>\t<http://example.org/Q1>\n";
        let s = read_statements(tsv.as_bytes(), "text/tab-separated-values").expect("TSV");
        assert_eq!(
            (s[0].person.as_deref(), s[0].office.as_deref()),
            (Some("Q76"), None)
        );
        assert!(read_statements("<html>".as_bytes(), "text/html").is_err());
        let err = read_statements("{\"head\":".as_bytes(), "application/json").unwrap_err();
        assert!(err.starts_with("not SPARQL results"), "{err}");
    }

    #[test]
    fn refresh_dates_must_be_calendar_days() {
        assert_eq!(
            refresh_date(Some("2026-11-25")).ok().as_deref(),
            Some("2026-11-25")
        );
        assert!(refresh_date(Some("2026-02-30")).is_err());
        assert!(refresh_date(Some("25/11/2026")).is_err());
        assert_eq!(refresh_date(None).map(|d| d.len()).ok(), Some(10));
    }
}
