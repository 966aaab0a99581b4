//! `ontology/local-links.tsv`: the user's links from local entities to
//! Wikidata items.
//!
//! Entities the gazetteer does not know get a local id (a slug of their name,
//! `retno_marsudi`) and the IRI `<base>entity/<local id>`. This file maps such
//! ids to QIDs. It is applied when articles are extracted (the entity comes
//! out as the QID entity, see [`super::apply_links::apply_local_links`]) and by
//! `warta link`, which rewrites a store in place.
//!
//! The format: UTF-8, tab-separated, `#` starts a comment line, blank lines are
//! ignored. The first other line is the header naming the columns, in any
//! order: `local_id` and `qid` are required, `label`, `type` and `note` are
//! optional. One row per local id:
//!
//! - `local_id`: the id `warta link --unlinked` prints (an IRI ending in
//!   `/entity/<id>` is accepted too);
//! - `qid`: `Q` and digits (`wd:Q…` and Wikidata URLs are accepted); an empty
//!   qid means "not linked yet" and the row is skipped, so the template that
//!   `warta link --unlinked --format tsv` prints can be used as it is;
//! - `label`: the name, for the reader of the file (warta keeps the names the
//!   articles use, or the gazetteer's labels when it knows the QID);
//! - `type`: an entity type (`Person`, `Country` ...) to use instead of the
//!   type warta guessed or the gazetteer's; empty keeps that;
//! - `note`: free text.
//!
//! Errors name the file and line: a bad QID or local id, a row with more
//! columns than the header, a local id linked to two QIDs, a QID given two
//! types.

use super::gazetteer::is_qid;
use super::{Gazetteer, OntologyError};
use crate::model::{EntityType, Language};
use std::collections::BTreeMap;

/// The header of a links file as warta writes it.
pub const HEADER: &str = "local_id\tqid\tlabel\ttype\tnote";

/// What the gazetteer says about a linked QID (when it knows it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownItem {
    pub entity_type: EntityType,
    pub label_en: String,
    pub label_id: Option<String>,
}

impl KnownItem {
    /// The preferred label in one language (as the gazetteer gives it).
    pub fn label(&self, lang: Language) -> &str {
        match lang {
            Language::Id => self.label_id.as_deref().unwrap_or(&self.label_en),
            Language::En => &self.label_en,
        }
    }

    /// All labels by language tag, as the RDF stage writes them.
    pub fn labels(&self) -> Vec<(String, String)> {
        let mut out = vec![("en".to_string(), self.label_en.clone())];
        if let Some(l) = &self.label_id {
            out.push(("id".to_string(), l.clone()));
        }
        out
    }
}

/// One row: a local id linked to a QID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalLink {
    pub local_id: String,
    pub qid: String,
    pub label: Option<String>,
    /// A type that replaces warta's guess (and the gazetteer's).
    pub entity_type: Option<EntityType>,
    pub note: Option<String>,
    /// Where the row is, for messages.
    pub file: String,
    pub line: usize,
    /// The gazetteer's entry for the QID, filled in by [`LocalLinks::resolve`].
    pub known: Option<KnownItem>,
}

impl LocalLink {
    /// The type the linked entity gets: the row's, else the gazetteer's, else
    /// `guessed` (warta's own).
    pub fn final_type(&self, guessed: EntityType) -> EntityType {
        self.entity_type
            .or(self.known.as_ref().map(|k| k.entity_type))
            .unwrap_or(guessed)
    }
}

/// All links in use, by local id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalLinks {
    by_local: BTreeMap<String, LocalLink>,
    /// QID -> the type its rows give.
    types: BTreeMap<String, EntityType>,
    /// QID -> the gazetteer's entry.
    known: BTreeMap<String, KnownItem>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    LocalId,
    Qid,
    Label,
    Type,
    Note,
}

impl Column {
    fn parse(name: &str) -> Option<Column> {
        match name {
            "local_id" => Some(Column::LocalId),
            "qid" => Some(Column::Qid),
            "label" => Some(Column::Label),
            "type" => Some(Column::Type),
            "note" => Some(Column::Note),
            _ => None,
        }
    }
}

fn tab_hint(line: &str) -> &'static str {
    if line.contains(' ') && !line.contains('\t') {
        " (columns are separated by tabs, not spaces)"
    } else {
        ""
    }
}

/// Is `s` shaped like a warta local id: lowercase ASCII words joined by `_`
/// (what [`crate::vocab::slug`] makes)?
pub fn is_local_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('_').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Accepts `Q7747`, `wd:Q7747` and Wikidata entity or page URLs.
fn normalise_qid(cell: &str) -> &str {
    let s = cell.trim().trim_start_matches('<').trim_end_matches('>');
    let s = s.strip_prefix("wd:").unwrap_or(s);
    match s.rfind(['/', ':']) {
        Some(i) if s.contains("wikidata.org") => &s[i + 1..],
        _ => s,
    }
}

/// Accepts `retno_marsudi`, `ent:retno_marsudi` and `<…/entity/retno_marsudi>`.
fn normalise_local(cell: &str) -> &str {
    let s = cell.trim().trim_start_matches('<').trim_end_matches('>');
    let s = s.strip_prefix("ent:").unwrap_or(s);
    match s.rfind("/entity/") {
        Some(i) => &s[i + "/entity/".len()..],
        None => s,
    }
}

/// One data line of a links file, split into its cells.
struct Row<'a> {
    file: &'a str,
    line_no: usize,
    line: &'a str,
    cells: Vec<&'a str>,
}

impl Row<'_> {
    fn error(&self, message: String) -> OntologyError {
        OntologyError::new(self.file, self.line_no, message)
    }

    /// The header: known column names, none twice, local_id and qid present.
    fn header(&self) -> Result<Vec<Column>, OntologyError> {
        let mut parsed = Vec::new();
        for name in &self.cells {
            let Some(c) = Column::parse(name) else {
                return Err(self.error(format!(
                    "expected the header `{}` (local_id and qid required; label, type, note optional), found column {name:?}{}",
                    HEADER.replace('\t', "<TAB>"),
                    tab_hint(self.line)
                )));
            };
            if parsed.contains(&c) {
                return Err(self.error(format!("column {name:?} appears twice in the header")));
            }
            parsed.push(c);
        }
        for (required, name) in [(Column::LocalId, "local_id"), (Column::Qid, "qid")] {
            if !parsed.contains(&required) {
                return Err(self.error(format!(
                    "the header has no {name} column{}",
                    tab_hint(self.line)
                )));
            }
        }
        Ok(parsed)
    }

    /// The cell of column `c` ("" when the row or header has none).
    fn cell(&self, cols: &[Column], c: Column) -> &str {
        cols.iter()
            .position(|&x| x == c)
            .and_then(|i| self.cells.get(i))
            .copied()
            .unwrap_or("")
    }

    /// The row's (local id, QID), checked; `None` for a template row with
    /// no QID yet.
    fn ids(&self, cols: &[Column]) -> Result<Option<(&str, &str)>, OntologyError> {
        if self.cells.len() > cols.len() {
            return Err(self.error(format!(
                "{} tab-separated columns, but the header names {}",
                self.cells.len(),
                cols.len()
            )));
        }
        let local_raw = self.cell(cols, Column::LocalId);
        let qid_raw = self.cell(cols, Column::Qid);
        if self.cells.len() < 2 && !is_local_id(normalise_local(self.line)) {
            return Err(self.error(format!(
                "1 column, expected local_id and qid at least{}",
                tab_hint(self.line)
            )));
        }
        let local_id = normalise_local(local_raw);
        if local_id.is_empty() {
            return Err(self.error("empty local_id".to_string()));
        }
        if is_qid(local_id) {
            return Err(self.error(format!("local_id '{local_id}' is already a Wikidata QID; local_id is the id `warta link --unlinked` prints, such as retno_marsudi")));
        }
        if !is_local_id(local_id) {
            return Err(self.error(format!("'{local_id}' is not a warta local id (lowercase letters, digits and _, as `warta link --unlinked` prints it)")));
        }
        let qid = normalise_qid(qid_raw);
        if qid.is_empty() {
            return Ok(None); // a template row not filled in yet
        }
        if !is_qid(qid) {
            return Err(self.error(format!(
                "'{qid_raw}' is not a Wikidata QID (Q followed by digits, e.g. Q7747)"
            )));
        }
        Ok(Some((local_id, qid)))
    }

    /// The row's type, if given: known, and the same as any other row of
    /// the QID gives (`types`: QID -> (type, line)).
    fn entity_type(
        &self,
        cols: &[Column],
        qid: &str,
        types: &mut BTreeMap<String, (EntityType, usize)>,
    ) -> Result<Option<EntityType>, OntologyError> {
        let type_cell = self.cell(cols, Column::Type);
        if type_cell.is_empty() {
            return Ok(None);
        }
        let t = EntityType::parse(type_cell).ok_or_else(|| {
            self.error(format!(
                "unknown type '{type_cell}' (expected one of {})",
                EntityType::ALL.map(EntityType::name).join(", ")
            ))
        })?;
        if let Some((other, at)) = types.get(qid) {
            if *other != t {
                return Err(self.error(format!(
                    "{qid} has type {} here but {} at line {at}",
                    t.name(),
                    other.name()
                )));
            }
        }
        types.insert(qid.to_string(), (t, self.line_no));
        Ok(Some(t))
    }
}

impl LocalLinks {
    /// Parses one links file. `file` is the name used in error messages.
    pub fn parse(text: &str, file: &str) -> Result<LocalLinks, OntologyError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut columns: Option<Vec<Column>> = None;
        let mut out = LocalLinks::default();
        // QID -> (type, line) for the type-consistency check.
        let mut types: BTreeMap<String, (EntityType, usize)> = BTreeMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let row = Row {
                file,
                line_no: i + 1,
                line,
                cells: line.split('\t').map(str::trim).collect(),
            };
            let Some(cols) = &columns else {
                columns = Some(row.header()?);
                continue;
            };
            if row.cells.iter().all(|c| Column::parse(c).is_some()) {
                continue; // the header again (templates appended with >>)
            }
            let Some((local_id, qid)) = row.ids(cols)? else {
                continue;
            };
            let entity_type = row.entity_type(cols, qid, &mut types)?;
            let opt = |c: Column| {
                Some(row.cell(cols, c))
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            };
            out.insert(LocalLink {
                local_id: local_id.to_string(),
                qid: qid.to_string(),
                label: opt(Column::Label),
                entity_type,
                note: opt(Column::Note),
                file: file.to_string(),
                line: row.line_no,
                known: None,
            })?;
        }
        Ok(out)
    }

    fn insert(&mut self, link: LocalLink) -> Result<(), OntologyError> {
        if let Some(prev) = self.by_local.get(&link.local_id) {
            let place = if prev.file == link.file {
                format!("line {}", prev.line)
            } else {
                format!("{}:{}", prev.file, prev.line)
            };
            if prev.qid != link.qid {
                return Err(OntologyError::new(
                    &link.file,
                    link.line,
                    format!(
                        "{} is linked to {} here but to {} at {place}",
                        link.local_id, link.qid, prev.qid
                    ),
                ));
            }
            if link.entity_type.is_some() && prev.entity_type != link.entity_type {
                return Err(OntologyError::new(
                    &link.file,
                    link.line,
                    format!("{} is given another type than at {place}", link.local_id),
                ));
            }
            return Ok(()); // the same link twice
        }
        if let Some(t) = link.entity_type {
            self.types.insert(link.qid.clone(), t);
        }
        self.by_local.insert(link.local_id.clone(), link);
        Ok(())
    }

    /// Adds the links of another file; a local id linked to two QIDs, or a
    /// QID given two types, is an error naming both places.
    pub fn merge(&mut self, other: LocalLinks) -> Result<(), OntologyError> {
        for link in other.by_local.into_values() {
            if let Some(t) = link
                .entity_type
                .filter(|t| self.types.get(&link.qid).is_some_and(|p| p != t))
            {
                if let Some(prev) = self
                    .by_local
                    .values()
                    .find(|p| p.qid == link.qid && p.entity_type.is_some_and(|pt| pt != t))
                {
                    return Err(OntologyError::new(
                        &link.file,
                        link.line,
                        format!(
                            "{} has type {} here but {} at {}:{}",
                            link.qid,
                            t.name(),
                            prev.entity_type.map_or("", EntityType::name),
                            prev.file,
                            prev.line
                        ),
                    ));
                }
            }
            self.insert(link)?;
        }
        Ok(())
    }

    /// Looks every QID up in the gazetteer (for its labels and type).
    pub fn resolve(&mut self, gazetteer: &Gazetteer) {
        self.known.clear();
        for link in self.by_local.values_mut() {
            link.known = gazetteer.by_id(&link.qid).map(|e| KnownItem {
                entity_type: e.entity_type,
                label_en: e.label_en.clone(),
                label_id: e.label_id.clone(),
            });
            if let Some(k) = &link.known {
                self.known.insert(link.qid.clone(), k.clone());
            }
        }
    }

    pub fn get(&self, local_id: &str) -> Option<&LocalLink> {
        self.by_local.get(local_id)
    }

    /// The type the rows linking to `qid` give (all that give one agree).
    pub fn type_for(&self, qid: &str) -> Option<EntityType> {
        self.types.get(qid).copied()
    }

    /// The gazetteer's entry for `qid`, if it has one (after [`Self::resolve`]).
    pub fn known(&self, qid: &str) -> Option<&KnownItem> {
        self.known.get(qid)
    }

    pub fn len(&self) -> usize {
        self.by_local.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_local.is_empty()
    }

    /// The links in local-id order.
    pub fn iter(&self) -> impl Iterator<Item = &LocalLink> {
        self.by_local.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<LocalLinks, OntologyError> {
        LocalLinks::parse(text, "links.tsv")
    }

    #[test]
    fn rows_comments_blank_lines_and_empty_qids() {
        let links = parse(
            "# my links\n\nlocal_id\tqid\tlabel\ttype\tnote\n\
             uni_soviet\tQ15180\tUni Soviet\tCountry\tthe USSR\n\
             # a comment between rows\n\
             local_id\tqid\tlabel\ttype\tnote\n\
             retno_marsudi\t\tRetno Marsudi\t\tnot looked up yet\n\
             sergey_lavrov\twd:Q1234\r\n\
             pyongyang_airport\thttps://www.wikidata.org/wiki/Q5678\n\
             <https://w3id.org/warta/entity/rodong_sinmun>\thttp://www.wikidata.org/entity/Q9\n",
        )
        .unwrap();
        assert_eq!(links.len(), 4);
        let s = links.get("uni_soviet").unwrap();
        assert_eq!(s.qid, "Q15180");
        assert_eq!(s.entity_type, Some(EntityType::Country));
        assert_eq!(s.label.as_deref(), Some("Uni Soviet"));
        assert_eq!(s.note.as_deref(), Some("the USSR"));
        assert_eq!(s.line, 4);
        assert!(links.get("retno_marsudi").is_none(), "empty qid: skipped");
        assert_eq!(links.get("sergey_lavrov").unwrap().qid, "Q1234");
        assert_eq!(links.get("pyongyang_airport").unwrap().qid, "Q5678");
        assert_eq!(links.get("rodong_sinmun").unwrap().qid, "Q9");
    }

    #[test]
    fn columns_in_any_order_and_only_the_required_ones() {
        let links = parse("qid\tlocal_id\nQ1\tfoo_bar\n").unwrap();
        assert_eq!(links.get("foo_bar").unwrap().qid, "Q1");
    }

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_file_and_line() {
        let h = "local_id\tqid\tlabel\ttype\tnote\n";
        let e = err(&format!("{h}a_b\tQ12x\n"));
        assert!(e.starts_with("links.tsv:2:") && e.contains("Q12x"), "{e}");
        let e = err(&format!("{h}a_b\tQ0\n"));
        assert!(
            e.contains("links.tsv:2:") && e.contains("not a Wikidata QID"),
            "{e}"
        );
        let e = err(&format!("{h}Q5\tQ7\n"));
        assert!(e.contains("already a Wikidata QID"), "{e}");
        let e = err(&format!("{h}Retno Marsudi\tQ7\n"));
        assert!(e.contains("not a warta local id"), "{e}");
        let e = err(&format!("{h}a_b\tQ1\tx\tPerson\tnote\textra\n"));
        assert!(
            e.contains("links.tsv:2:") && e.contains("6 tab-separated columns"),
            "{e}"
        );
        let e = err(&format!("# c\n{h}a_b\tQ1\n\na_b\tQ2\n"));
        assert!(
            e.starts_with("links.tsv:5:") && e.contains("Q2 here but to Q1 at line 3"),
            "{e}"
        );
        let e = err(&format!("{h}a_b\tQ1\t\tPerson\nc_d\tQ1\t\tCountry\n"));
        assert!(
            e.contains("links.tsv:3:")
                && e.contains("Q1 has type Country here but Person at line 2"),
            "{e}"
        );
        let e = err(&format!("{h}a_b\tQ1\t\tNation\n"));
        assert!(e.contains("unknown type 'Nation'"), "{e}");
        let e = err("local_id qid label note\nretno_marsudi Q1\n");
        assert!(
            e.starts_with("links.tsv:1:") && e.contains("tabs, not spaces"),
            "{e}"
        );
        let e = err("local_id\tlabel\n");
        assert!(e.contains("no qid column"), "{e}");
        let e = err("local_id\tqid\twikidata\n");
        assert!(e.contains("\"wikidata\""), "{e}");
    }

    #[test]
    fn the_same_link_twice_is_fine_and_merging_checks_conflicts() {
        let mut a = parse("local_id\tqid\na_b\tQ1\na_b\tQ1\n").unwrap();
        assert_eq!(a.len(), 1);
        let b = LocalLinks::parse("local_id\tqid\na_b\tQ2\n", "other.tsv").unwrap();
        let e = a.merge(b).unwrap_err().to_string();
        assert!(
            e.starts_with("other.tsv:2:") && e.contains("but to Q1 at links.tsv:2"),
            "{e}"
        );
    }

    #[test]
    fn local_ids_look_like_slugs() {
        for ok in ["retno_marsudi", "x", "kbri_tokyo", "g20_summit"] {
            assert!(is_local_id(ok), "{ok}");
        }
        for bad in ["", "Retno", "a__b", "_a", "a_", "a-b", "Q12"] {
            assert!(!is_local_id(bad), "{bad}");
        }
    }
}
