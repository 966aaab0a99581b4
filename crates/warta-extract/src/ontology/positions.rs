//! Terms of office: who held which position of which country or
//! organisation, and when (`ontology/positions.tsv`, documented in
//! `ontology/GAZETTEER.md`). Modelled on Wikidata's P39 "position held" with
//! the P580 start / P582 end qualifiers; every row names its source.
//!
//! Dates may be partial (`2024`, `2024-10`, `2024-10-20`). A partial date
//! stands for every day it could mean, so a term ending `2024-10` covers
//! `2024-10-05`, and a query for `2024` finds everyone in office at some point
//! of 2024. Both ends of a term are inclusive: on a handover day
//! (`2021-01-20` for the US president) both holders are returned.
//!
//! ```
//! use warta_extract::ontology::Ontology;
//! let o = Ontology::embedded()?;
//! let president = o.positions.holders("head_of_state", "Q30", Some("2022-06-01"));
//! assert_eq!(president[0].person, "Q6279"); // Joe Biden
//! assert_eq!(president[0].office, "President of the United States");
//! # Result::<_, Box<dyn std::error::Error>>::Ok(())
//! ```

use super::gazetteer::is_qid;
use super::local_links::is_local_id;
use super::OntologyError;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;

/// The column header of `positions.tsv`.
pub const HEADER: [&str; 8] = [
    "person",
    "position",
    "holder_of",
    "office",
    "start",
    "end",
    "confidence",
    "source",
];

/// The kind of position, independent of the country (the `position` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Position {
    HeadOfState,
    HeadOfGovernment,
    /// The leader of a party-state or an organisation (General Secretary of the
    /// CCP, UN Secretary-General).
    Leader,
    ForeignMinister,
    Minister,
    Spokesperson,
    Ambassador,
    Other,
}

impl Position {
    pub const ALL: [Position; 8] = [
        Position::HeadOfState,
        Position::HeadOfGovernment,
        Position::Leader,
        Position::ForeignMinister,
        Position::Minister,
        Position::Spokesperson,
        Position::Ambassador,
        Position::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Position::HeadOfState => "head_of_state",
            Position::HeadOfGovernment => "head_of_government",
            Position::Leader => "leader",
            Position::ForeignMinister => "foreign_minister",
            Position::Minister => "minister",
            Position::Spokesperson => "spokesperson",
            Position::Ambassador => "ambassador",
            Position::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Position> {
        Position::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An ISO date of year, month or day precision (`2024`, `2024-10`,
/// `2024-10-20`). Years are 1 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a real calendar day).
    pub fn parse(s: &str) -> Option<PartialDate> {
        let mut parts = s.split('-');
        let year = parts.next().filter(|y| y.len() == 4)?;
        let year: u16 = digits(year)?;
        if year == 0 {
            return None;
        }
        let month = match parts.next() {
            None => None,
            Some(m) if m.len() == 2 => Some(digits::<u8>(m).filter(|m| (1..=12).contains(m))?),
            Some(_) => return None,
        };
        let day = match parts.next() {
            None => None,
            Some(d) if d.len() == 2 => {
                let d: u8 = digits(d)?;
                if !(1..=days_in_month(year, month?)).contains(&d) {
                    return None;
                }
                Some(d)
            }
            Some(_) => return None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(PartialDate { year, month, day })
    }

    /// The first day the date can mean, as (year, month, day).
    pub fn first_day(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day the date can mean, as (year, month, day).
    pub fn last_day(&self) -> (u16, u8, u8) {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        (self.year, month, day)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

fn digits<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    let (Ok(year), Ok(month)) = (i16::try_from(year), i8::try_from(month)) else {
        return 31;
    };
    jiff::civil::Date::new(year, month, 1).map_or(31, |d| d.days_in_month().unsigned_abs())
}

/// One term of office (one row of `positions.tsv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The person: a QID, or the local id of an entry of `gazetteer-unlinked.tsv`
    /// (a `Person` of the gazetteer either way).
    pub person: String,
    pub position: Position,
    /// QID of the country or organisation the office belongs to.
    pub holder_of: String,
    /// English name of the office, without the trailing ` (Qnnn)`.
    pub office: String,
    /// Wikidata item of the office, when the row gives one.
    pub office_qid: Option<String>,
    pub start: PartialDate,
    /// `None` while in office.
    pub end: Option<PartialDate>,
    /// `A`, `B`, `S` or `M` as in `ontology/GAZETTEER.md`.
    pub confidence: String,
    /// Where the fact was verified (URL, `wikidata-sparql:<date>` …).
    pub source: String,
    /// Line of the row in `positions.tsv`.
    pub line: usize,
}

impl Term {
    /// Whether the term covers any day of `date` (both ends inclusive).
    pub fn covers(&self, date: &PartialDate) -> bool {
        self.start.first_day() <= date.last_day()
            && self
                .end
                .is_none_or(|end| date.first_day() <= end.last_day())
    }

    /// Whether the term has no end (the person is in office, as far as the
    /// data knows).
    pub fn is_current(&self) -> bool {
        self.end.is_none()
    }
}

/// The loaded `positions.tsv`.
#[derive(Debug, Clone, Default)]
pub struct Positions {
    refreshed: Option<String>,
    terms: Vec<Term>,
    /// person id (QID or local id) -> indexes into `terms`, in file order.
    by_person: HashMap<String, Vec<usize>>,
}

impl Positions {
    /// Parses and validates `positions.tsv`. `is_person` tells whether an id
    /// (a QID, or the local id of an entry known without one) is a `Person`
    /// of the gazetteer.
    pub fn parse(
        text: &str,
        file: &str,
        is_person: &dyn Fn(&str) -> bool,
    ) -> Result<Positions, OntologyError> {
        let err = |line: usize, message: String| OntologyError::new(file, line, message);
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
        let refreshed = match lines.next() {
            Some((_, first)) => parse_refreshed(first).ok_or_else(|| {
                err(
                    1,
                    "the first line must be '# refreshed: YYYY-MM-DD from <source>'".to_string(),
                )
            })?,
            None => return Err(err(1, "empty file".to_string())),
        };
        let mut header_seen = false;
        let mut terms: Vec<Term> = Vec::new();
        let mut by_person: HashMap<String, Vec<usize>> = HashMap::new();
        let mut seen: HashMap<(String, Position, String, String), usize> = HashMap::new();
        for (line_no, line) in lines {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                continue;
            }
            if line.starts_with('#') {
                if header_seen {
                    return Err(err(
                        line_no,
                        "comment lines are only allowed before the header".to_string(),
                    ));
                }
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if !header_seen {
                if cols != HEADER {
                    return Err(err(
                        line_no,
                        format!("expected the header '{}'", HEADER.join("\\t")),
                    ));
                }
                header_seen = true;
                continue;
            }
            if cols.len() != HEADER.len() {
                return Err(err(
                    line_no,
                    format!(
                        "expected {} tab-separated columns, found {}",
                        HEADER.len(),
                        cols.len()
                    ),
                ));
            }
            let term = parse_row(&cols, line_no, is_person).map_err(|m| err(line_no, m))?;
            let key = (
                term.person.clone(),
                term.position,
                term.holder_of.clone(),
                term.start.to_string(),
            );
            if let Some(first) = seen.insert(key, line_no) {
                return Err(err(
                    line_no,
                    format!("same person, position, holder_of and start as line {first}"),
                ));
            }
            by_person
                .entry(term.person.clone())
                .or_default()
                .push(terms.len());
            terms.push(term);
        }
        if !header_seen {
            return Err(err(0, "no header line".to_string()));
        }
        Ok(Positions {
            refreshed: Some(refreshed),
            terms,
            by_person,
        })
    }

    /// The date of the last refresh (`YYYY-MM-DD`, from the first line).
    pub fn refreshed(&self) -> Option<&str> {
        self.refreshed.as_deref()
    }

    /// Every term, in file order.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The terms of `position` (e.g. `"foreign_minister"`) of `holder_of`
    /// (a country or organisation QID) that cover the date `on` (`YYYY-MM-DD`,
    /// `YYYY-MM` or `YYYY`); with `on = None`, the current terms (no end).
    /// Sorted by start date. An unknown position or a malformed date gives
    /// no terms.
    pub fn holders(&self, position: &str, holder_of: &str, on: Option<&str>) -> Vec<&Term> {
        let Some(position) = Position::parse(position) else {
            return Vec::new();
        };
        let date = match on {
            Some(s) => match PartialDate::parse(s.trim()) {
                Some(d) => Some(d),
                None => return Vec::new(),
            },
            None => None,
        };
        let mut out: Vec<&Term> = self
            .terms
            .iter()
            .filter(|t| t.position == position && t.holder_of == holder_of)
            .filter(|t| match &date {
                Some(d) => t.covers(d),
                None => t.is_current(),
            })
            .collect();
        out.sort_by(|a, b| by_start(a, b));
        out
    }

    /// The terms of one person, sorted by start date.
    pub fn terms_of(&self, person_qid: &str) -> Vec<&Term> {
        let mut out: Vec<&Term> = self
            .by_person
            .get(person_qid)
            .map(|ix| ix.iter().map(|&i| &self.terms[i]).collect())
            .unwrap_or_default();
        out.sort_by(|a, b| by_start(a, b));
        out
    }
}

fn by_start(a: &Term, b: &Term) -> Ordering {
    a.start
        .first_day()
        .cmp(&b.start.first_day())
        .then_with(|| a.line.cmp(&b.line))
}

/// `# refreshed: 2026-11-25 from <source>` -> `2026-11-25`.
fn parse_refreshed(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix('#')?
        .trim_start()
        .strip_prefix("refreshed:")?;
    let mut words = rest.split_whitespace();
    let date = words.next()?;
    let d = PartialDate::parse(date)?;
    if d.day.is_none() || words.next() != Some("from") || words.next().is_none() {
        return None;
    }
    Some(date.to_string())
}

fn parse_row(cols: &[&str], line: usize, is_person: &dyn Fn(&str) -> bool) -> Result<Term, String> {
    let cell = |i: usize| cols[i].trim();
    let person = cell(0);
    if !is_qid(person) && !is_local_id(person) {
        return Err(format!(
            "person '{person}' is neither a Wikidata QID nor a local id (lowercase slug)"
        ));
    }
    if !is_person(person) {
        return Err(format!(
            "person {person} is not a Person row of the gazetteer (add them to the gazetteer inputs, or to gazetteer-unlinked.tsv without a QID, first)"
        ));
    }
    let position = Position::parse(cell(1)).ok_or_else(|| {
        format!(
            "unknown position '{}' (expected one of {})",
            cell(1),
            Position::ALL.map(Position::as_str).join(", ")
        )
    })?;
    let holder_of = cell(2);
    if !is_qid(holder_of) {
        return Err(format!("holder_of '{holder_of}' is not a Wikidata QID"));
    }
    let (office, office_qid) = parse_office(cell(3))?;
    let start = PartialDate::parse(cell(4)).ok_or_else(|| {
        format!(
            "start '{}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
            cell(4)
        )
    })?;
    let end = match cell(5) {
        "" => None,
        s => Some(PartialDate::parse(s).ok_or_else(|| {
            format!("end '{s}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD), or empty")
        })?),
    };
    if let Some(end) = &end {
        if end.last_day() < start.first_day() {
            return Err(format!("end {end} is before start {start}"));
        }
    }
    let confidence = cell(6);
    if !matches!(confidence, "A" | "B" | "S" | "M") {
        return Err(format!(
            "confidence '{confidence}' is not one of A, B, S, M"
        ));
    }
    let source = cell(7);
    if source.is_empty() {
        return Err("empty source (say where the fact was verified)".to_string());
    }
    Ok(Term {
        person: person.to_string(),
        position,
        holder_of: holder_of.to_string(),
        office,
        office_qid,
        start,
        end,
        confidence: confidence.to_string(),
        source: source.to_string(),
        line,
    })
}

/// `President of Russia (Q218295)` -> ("President of Russia", Some("Q218295")).
fn parse_office(cell: &str) -> Result<(String, Option<String>), String> {
    if cell.is_empty() {
        return Err("empty office".to_string());
    }
    if let Some(open) = cell
        .strip_suffix(')')
        .and_then(|c| c.rfind(" (").map(|i| (c, i)))
    {
        let (c, i) = open;
        let inner = &c[i + 2..];
        if inner.starts_with('Q') {
            if !is_qid(inner) {
                return Err(format!("office item '{inner}' is not a Wikidata QID"));
            }
            let name = c[..i].trim();
            if name.is_empty() {
                return Err("empty office name".to_string());
            }
            return Ok((name.to_string(), Some(inner.to_string())));
        }
    }
    Ok((cell.to_string(), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "# refreshed: 2026-11-25 from hand-verified sources\n\
# a comment\n\
person\tposition\tholder_of\toffice\tstart\tend\tconfidence\tsource\n";

    // Q1/Q2 stand for Retno Marsudi and Sugiono (their real QIDs are not verified
    // yet, see ontology/GAZETTEER.md), Q3/Q4 for Trump and Biden.
    const ROWS: &str = "\
Q1\tforeign_minister\tQ252\tMinister of Foreign Affairs of Indonesia\t2014-10-27\t2024-10-20\tS\tx\n\
Q2\tforeign_minister\tQ252\tMinister of Foreign Affairs of Indonesia\t2024-10-21\t\tS\tx\n\
Q3\thead_of_state\tQ30\tPresident of the United States (Q11696)\t2017-01-20\t2021-01-20\tA\tx\n\
Q4\thead_of_state\tQ30\tPresident of the United States (Q11696)\t2021-01-20\t2025-01-20\tB\tx\n\
Q3\thead_of_state\tQ30\tPresident of the United States (Q11696)\t2025-01-20\t\tA\tx\n\
Q5\tleader\tQ1065\tSecretary-General of the United Nations\t2017\t\tS\tx\n\
Q6\thead_of_government\tQ159\tPrime Minister of Russia\t2008-05\t2012-05\tB\tx\n";

    fn parse(text: &str) -> Result<Positions, OntologyError> {
        Positions::parse(text, "positions.tsv", &|q: &str| {
            q.len() == 2 && q.starts_with('Q')
        })
    }

    fn who(p: &Positions, position: &str, of: &str, on: Option<&str>) -> Vec<String> {
        p.holders(position, of, on)
            .iter()
            .map(|t| t.person.clone())
            .collect()
    }

    fn error_of(rows: &str) -> String {
        match parse(&format!("{HEAD}{rows}")) {
            Ok(_) => panic!("accepted: {rows}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn holders_on_a_date() {
        let p = parse(&format!("{HEAD}{ROWS}")).unwrap();
        assert_eq!(p.refreshed(), Some("2026-11-25"));
        assert_eq!(p.len(), 7);
        assert_eq!(
            who(&p, "foreign_minister", "Q252", Some("2023-05-01")),
            ["Q1"]
        );
        assert_eq!(
            who(&p, "foreign_minister", "Q252", Some("2025-03-01")),
            ["Q2"]
        );
        assert_eq!(who(&p, "head_of_state", "Q30", Some("2022-06-01")), ["Q4"]);
        assert_eq!(who(&p, "head_of_state", "Q30", Some("2025-06-01")), ["Q3"]);
        assert_eq!(who(&p, "head_of_state", "Q30", Some("2019-01-01")), ["Q3"]);
        // the last day of one term and the first of the next
        assert_eq!(
            who(&p, "foreign_minister", "Q252", Some("2024-10-20")),
            ["Q1"]
        );
        assert_eq!(
            who(&p, "foreign_minister", "Q252", Some("2024-10-21")),
            ["Q2"]
        );
        // a handover day belongs to both terms
        assert_eq!(
            who(&p, "head_of_state", "Q30", Some("2021-01-20")),
            ["Q3", "Q4"]
        );
        // nobody before the first known term, nor for another country
        assert!(who(&p, "head_of_state", "Q30", Some("2016-12-31")).is_empty());
        assert!(who(&p, "head_of_state", "Q31", Some("2020-01-01")).is_empty());
        // current holders
        assert_eq!(who(&p, "head_of_state", "Q30", None), ["Q3"]);
        assert_eq!(who(&p, "leader", "Q1065", None), ["Q5"]);
        assert!(who(&p, "head_of_government", "Q159", None).is_empty());
        // unknown position or malformed date: nothing
        assert!(who(&p, "king", "Q30", None).is_empty());
        assert!(who(&p, "head_of_state", "Q30", Some("2020-13-01")).is_empty());
    }

    #[test]
    fn partial_dates_cover_every_day_they_can_mean() {
        let p = parse(&format!("{HEAD}{ROWS}")).unwrap();
        // term 2008-05 .. 2012-05
        for on in ["2008-05-01", "2012-05-31", "2012-05", "2012", "2008"] {
            assert_eq!(
                who(&p, "head_of_government", "Q159", Some(on)),
                ["Q6"],
                "{on}"
            );
        }
        for on in ["2008-04-30", "2012-06-01", "2013"] {
            assert!(
                who(&p, "head_of_government", "Q159", Some(on)).is_empty(),
                "{on}"
            );
        }
        // a query by month or year finds everyone in office at some point of it
        assert_eq!(
            who(&p, "foreign_minister", "Q252", Some("2024-10")),
            ["Q1", "Q2"]
        );
        assert_eq!(who(&p, "leader", "Q1065", Some("2017-01-01")), ["Q5"]);
        assert!(who(&p, "leader", "Q1065", Some("2016-12-31")).is_empty());
    }

    #[test]
    fn terms_of_a_person_and_office_items() {
        let p = parse(&format!("{HEAD}{ROWS}")).unwrap();
        let t = p.terms_of("Q3");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].start.to_string(), "2017-01-20");
        assert_eq!(
            t[0].end.map(|d| d.to_string()).as_deref(),
            Some("2021-01-20")
        );
        assert_eq!(t[1].end, None);
        assert_eq!(t[0].office, "President of the United States");
        assert_eq!(t[0].office_qid.as_deref(), Some("Q11696"));
        assert_eq!(t[0].line, 6);
        assert_eq!(p.terms_of("Q1")[0].office_qid, None);
        assert!(p.terms_of("Q9").is_empty());
    }

    #[test]
    fn errors_name_file_and_line() {
        let cases = [
            ("X1\tleader\tQ1065\tSG\t2017\t\tS\tx\n", "person 'X1'"),
            (
                "Q1\tking\tQ30\tKing\t2017\t\tS\tx\n",
                "unknown position 'king'",
            ),
            ("Q1\tleader\tUN\tSG\t2017\t\tS\tx\n", "holder_of 'UN'"),
            (
                "Q1\tleader\tQ1065\tSG\t2017-02-30\t\tS\tx\n",
                "start '2017-02-30'",
            ),
            ("Q1\tleader\tQ1065\tSG\t17\t\tS\tx\n", "start '17'"),
            (
                "Q1\tleader\tQ1065\tSG\t2017\t2016-13\tS\tx\n",
                "end '2016-13'",
            ),
            (
                "Q1\tleader\tQ1065\tSG\t2017-01-02\t2017-01-01\tS\tx\n",
                "before start",
            ),
            (
                "Q123\tleader\tQ1065\tSG\t2017\t\tS\tx\n",
                "not a Person row",
            ),
            ("Q1\tleader\tQ1065\tSG\t2017\t\tS\n", "found 7"),
            ("Q1\tleader\tQ1065\tSG\t2017\t\tS\tx\textra\n", "found 9"),
            ("Q1\tleader\tQ1065\tSG\t2017\t\tZ\tx\n", "confidence 'Z'"),
            ("Q1\tleader\tQ1065\tSG\t2017\t\tS\t\n", "empty source"),
            (
                "Q1\tleader\tQ1065\tSG (Qx)\t2017\t\tS\tx\n",
                "office item 'Qx'",
            ),
            ("Q1\tleader\tQ1065\t\t2017\t\tS\tx\n", "empty office"),
        ];
        for (row, want) in cases {
            let e = error_of(&format!("Q1\tother\tQ30\tX\t2000\t\tS\tx\n{row}"));
            assert!(e.starts_with("positions.tsv:5: "), "{e}");
            assert!(e.contains(want), "{e} lacks {want}");
        }
        // an end in the same month as a day-precision start is fine
        assert!(parse(&format!(
            "{HEAD}Q1\tleader\tQ1065\tSG\t2017-01-20\t2017-01\tS\tx\n"
        ))
        .is_ok());
        let dup =
            error_of("Q1\tother\tQ30\tX\t2000\t\tS\tx\nQ1\tother\tQ30\tY\t2000\t2001\tS\tx\n");
        assert!(
            dup.starts_with("positions.tsv:5: ") && dup.contains("line 4"),
            "{dup}"
        );
        let late = error_of("Q1\tother\tQ30\tX\t2000\t\tS\tx\n# late comment\n");
        assert!(late.starts_with("positions.tsv:5: "), "{late}");
    }

    #[test]
    fn header_and_refreshed_line_are_required() {
        let e = parse(&HEAD.replacen("refreshed: 2026-11-25", "refreshed 2026-11-25", 1))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.starts_with("positions.tsv:1: "), "{e}");
        let e = parse("# refreshed: 2026-11 from x\nperson\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.starts_with("positions.tsv:1: "), "{e}");
        let e = parse("# refreshed: 2026-11-25 from x\nperson\tposition\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.starts_with("positions.tsv:2: ") && e.contains("header"),
            "{e}"
        );
        let empty = parse("# refreshed: 2026-11-25 from x\nperson\tposition\tholder_of\toffice\tstart\tend\tconfidence\tsource\n").unwrap();
        assert!(empty.is_empty() && empty.holders("leader", "Q1065", None).is_empty());
    }

    /// The shipped `positions.tsv`.
    #[test]
    fn shipped_terms() {
        let o = crate::ontology::Ontology::embedded().unwrap();
        let p = &o.positions;
        assert!(p
            .refreshed()
            .is_some_and(|d| PartialDate::parse(d).is_some()));
        let us = |on: &str| who(p, "head_of_state", "Q30", Some(on));
        assert_eq!(us("2022-06-01"), ["Q6279"]); // Biden
        assert_eq!(us("2025-06-01"), ["Q22686"]); // Trump, second term
        assert_eq!(us("2019-01-01"), ["Q22686"]); // Trump, first term
        assert_eq!(us("2012"), ["Q76"]); // Obama
        assert_eq!(us("2021-01-20"), ["Q22686", "Q6279"]); // inauguration day
        assert!(us("2008-12-31").is_empty()); // before the first known term
        assert_eq!(who(p, "head_of_government", "Q30", None), ["Q22686"]);
        assert_eq!(
            who(p, "foreign_minister", "Q30", Some("2020-05-27")),
            ["Q473239"]
        ); // Pompeo
        assert_eq!(who(p, "foreign_minister", "Q30", None), ["Q324546"]); // Rubio
        let id = |on: &str| who(p, "head_of_state", "Q252", Some(on));
        assert_eq!(id("2020-10-20"), ["Q3318231"]); // Jokowi
        assert_eq!(id("2024-10-20"), ["Q3318231", "Q2107268"]);
        assert_eq!(id("2025-03-01"), ["Q2107268"]); // Prabowo
        let ru = |pos: &str, on: &str| who(p, pos, "Q159", Some(on));
        assert_eq!(ru("head_of_state", "2010-01-01"), ["Q23530"]);
        assert_eq!(ru("head_of_government", "2010-01-01"), ["Q7747"]);
        assert_eq!(ru("head_of_state", "2024-06-19"), ["Q7747"]);
        let putin = p.terms_of("Q7747");
        assert_eq!(putin.len(), 3);
        assert!(putin.windows(2).all(|w| by_start(w[0], w[1]).is_le()));
        assert_eq!(who(p, "leader", "Q1065", None), ["Q311440"]);
        // every row names a source and a gazetteer person
        for t in p.terms() {
            assert!(!t.source.is_empty());
            assert!(o.gazetteer.by_id(&t.person).is_some());
        }
    }

    #[test]
    fn dates() {
        for ok in ["2024", "2024-02", "2024-02-29", "2000-02-29", "0001-01-01"] {
            assert_eq!(
                PartialDate::parse(ok).map(|d| d.to_string()).as_deref(),
                Some(ok)
            );
        }
        for bad in [
            "",
            "24",
            "2023-02-29",
            "1900-02-29",
            "2024-2",
            "2024-00",
            "2024-01-32",
            "2024-01-01-01",
            "0000",
            "2024-01-1x",
            "+2024",
        ] {
            assert!(PartialDate::parse(bad).is_none(), "{bad}");
        }
        let d = PartialDate::parse("2024-02").unwrap();
        assert_eq!(d.first_day(), (2024, 2, 1));
        assert_eq!(d.last_day(), (2024, 2, 29));
        assert_eq!(
            PartialDate::parse("2023").unwrap().last_day(),
            (2023, 12, 31)
        );
    }
}
