//! The gazetteer: known entities with their Wikidata QIDs, types, labels,
//! aliases and demonyms, matched in text by one Aho-Corasick automaton per
//! language over folded text (case, diacritics, hyphens, quotes, spaces).
//!
//! Files (all under `ontology/`, see `ontology/GAZETTEER.md`):
//! `gazetteer.tsv` (entities with their QIDs), `gazetteer-unlinked.tsv`
//! (entities known by name and role without a verified QID, keyed by the
//! local id warta mints for the name), `demonyms.tsv` and `gazetteer-demonyms-odbl.tsv`
//! (adjectival forms), `sources/ambiguous.tsv` (aliases deliberately shared by
//! several QIDs). An alias shared by two QIDs that is not declared ambiguous is
//! a load error naming the file and line.

use super::OntologyError;
use crate::model::{EntityType, Language};
use crate::text::{fold, fold_ascii_byte, fold_char};
use crate::vocab::slug;
use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use unicode_normalization::char::is_combining_mark;

/// One gazetteer entry.
#[derive(Debug, Clone)]
pub struct GazEntry {
    /// The entity's key: its QID, or for an entry of `gazetteer-unlinked.tsv`
    /// its local id (the slug warta mints for the name, `retno_marsudi`).
    pub id: String,
    /// The Wikidata item; `None` for an entry known without a verified QID.
    pub qid: Option<String>,
    pub entity_type: EntityType,
    pub label_en: String,
    pub label_id: Option<String>,
    /// `key=value` pairs from the `extra` column (e.g. `country=Q159`).
    pub extra: BTreeMap<String, String>,
}

impl GazEntry {
    pub fn label(&self, lang: Language) -> &str {
        match lang {
            Language::Id => self.label_id.as_deref().unwrap_or(&self.label_en),
            Language::En => &self.label_en,
        }
    }
}

/// How a surface form refers to its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Name,
    Demonym,
}

#[derive(Debug, Clone)]
struct Form {
    /// Candidate entries (more than one only for declared ambiguous aliases).
    entries: Vec<usize>,
    kind: FormKind,
    /// The form as written in the gazetteer (for case checks).
    written: String,
}

/// A form as the matcher keeps it.
struct IndexedForm {
    /// Shared with every match of the form, so a match costs no allocation.
    entries: Arc<[usize]>,
    kind: FormKind,
    written: String,
    /// Short or all-capital forms must match case exactly ("US" is not "Us").
    exact_case: bool,
}

/// A gazetteer match in a text.
#[derive(Debug, Clone)]
pub struct GazMatch {
    pub start: usize,
    pub end: usize,
    pub entries: Arc<[usize]>,
    pub kind: FormKind,
}

struct LangIndex {
    /// A trie of the folded forms, walked byte by byte (see [`Gazetteer::find`]).
    automaton: NFA,
    forms: Vec<IndexedForm>,
}

/// The loaded gazetteer.
pub struct Gazetteer {
    entries: Vec<GazEntry>,
    /// Entries by id (QID or local id; the two never look alike).
    by_id: HashMap<String, usize>,
    index: HashMap<Language, LangIndex>,
}

/// A name of an entry, where it was read.
struct Surface<'f> {
    text: String,
    /// The language it counts in (`None`: both).
    only: Option<Language>,
    kind: FormKind,
    entry: usize,
    line: usize,
    file: &'f str,
}

/// Source texts of the gazetteer files.
pub struct GazetteerFiles<'a> {
    pub entities: (&'a str, &'a str),
    /// Entities known by name without a verified QID (`gazetteer-unlinked.tsv`):
    /// the same columns, with `local_id` first instead of `qid`.
    pub unlinked: Option<(&'a str, &'a str)>,
    pub demonyms: Vec<(&'a str, &'a str)>,
    pub ambiguous: (&'a str, &'a str),
}

fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1) // header
}

fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('|').map(str::trim).filter(|s| !s.is_empty())
}

/// What the entity files give: the entries, their ids, and every name of
/// every entry with where it was read.
#[derive(Default)]
struct Read<'f> {
    entries: Vec<GazEntry>,
    by_id: HashMap<String, usize>,
    surfaces: Vec<Surface<'f>>,
}

impl<'f> Read<'f> {
    /// One line of `gazetteer.tsv` (`linked`: keyed by QID) or of
    /// `gazetteer-unlinked.tsv` (keyed by local id).
    fn entry_line(
        &mut self,
        file: &'f str,
        line_no: usize,
        line: &str,
        linked: bool,
    ) -> Result<(), OntologyError> {
        let err = |m: String| OntologyError::new(file, line_no, m);
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 7 {
            return Err(err(format!(
                "expected at least 7 tab-separated columns, found {}",
                cols.len()
            )));
        }
        let id = cols[0].trim();
        let label_en = cols[2].trim().to_string();
        if label_en.is_empty() {
            return Err(err("empty label_en".to_string()));
        }
        if linked && !is_qid(id) {
            return Err(err(format!(
                "'{id}' is not a Wikidata QID (Q followed by digits)"
            )));
        }
        // A local id is what warta mints for the name, so articles
        // ingested before the entry existed name the same entity.
        let minted = slug(&label_en);
        if !linked && id != minted {
            return Err(err(format!(
                "local id '{id}' must be the slug of label_en '{label_en}': '{minted}'"
            )));
        }
        let entity_type = EntityType::parse(cols[1].trim()).ok_or_else(|| {
            err(format!("unknown type '{}' (expected one of Person, Country, Organization, GovernmentBody, City, Place, Media)", cols[1]))
        })?;
        let label_id = Some(cols[3].trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let extra = cols
            .get(6)
            .map(|c| {
                c.split(';')
                    .filter_map(|kv| kv.split_once('='))
                    .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        if self.by_id.contains_key(id) {
            return Err(err(format!("{id} appears twice")));
        }
        let idx = self.entries.len();
        self.by_id.insert(id.to_string(), idx);
        let name = |text: &str, only| Surface {
            text: text.to_string(),
            only,
            kind: FormKind::Name,
            entry: idx,
            line: line_no,
            file,
        };
        self.surfaces.push(name(&label_en, None));
        if let Some(l) = &label_id {
            self.surfaces.push(name(l, None));
        }
        for (col, lang) in [(4, Language::En), (5, Language::Id)] {
            for a in split_list(cols[col]) {
                self.surfaces.push(name(a, Some(lang)));
            }
        }
        self.entries.push(GazEntry {
            id: id.to_string(),
            qid: linked.then(|| id.to_string()),
            entity_type,
            label_en,
            label_id,
            extra,
        });
        Ok(())
    }

    /// The demonyms of a demonym file, as English forms of their entries.
    fn demonyms(&mut self, file: &'f str, text: &str) -> Result<(), OntologyError> {
        for (line_no, line) in data_lines(text) {
            let cols: Vec<&str> = line.split('\t').collect();
            let qid = cols.first().map_or("", |s| s.trim());
            let Some(&idx) = self.by_id.get(qid) else {
                return Err(OntologyError::new(
                    file,
                    line_no,
                    format!("demonym for {qid}, which is not in the gazetteer"),
                ));
            };
            for d in split_list(cols.get(1).copied().unwrap_or("")) {
                self.surfaces.push(Surface {
                    text: d.to_string(),
                    only: Some(Language::En),
                    kind: FormKind::Demonym,
                    entry: idx,
                    line: line_no,
                    file,
                });
            }
        }
        Ok(())
    }
}

/// Declared ambiguities (`ambiguous.tsv`): folded alias -> allowed QIDs, in
/// the order that decides the default reading.
fn read_ambiguous(
    (file, text): (&str, &str),
) -> Result<HashMap<String, Vec<String>>, OntologyError> {
    let mut ambiguous: HashMap<String, Vec<String>> = HashMap::new();
    for (line_no, line) in data_lines(text) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 2 {
            return Err(OntologyError::new(
                file,
                line_no,
                "expected columns alias, qids".to_string(),
            ));
        }
        let qids: Vec<String> = split_list(cols[1]).map(str::to_string).collect();
        ambiguous.insert(fold(cols[0]), qids);
    }
    Ok(ambiguous)
}

/// The forms of one language by folded key. An alias naming two entries is
/// an error unless declared ambiguous; the declared order sorts its entries.
fn forms_of(
    lang: Language,
    read: &Read<'_>,
    ambiguous: &HashMap<String, Vec<String>>,
) -> Result<BTreeMap<String, Form>, OntologyError> {
    let entries = &read.entries;
    let mut by_form: BTreeMap<String, Form> = BTreeMap::new();
    for Surface {
        text: surface,
        only,
        kind,
        entry: idx,
        line: line_no,
        file,
    } in &read.surfaces
    {
        // Aliases of the other language count only when long enough
        // not to be an ordinary word there ("AS" is English "as").
        if only.is_some_and(|l| l != lang) && surface.chars().count() <= 4 {
            continue;
        }
        let key = fold(surface);
        if key.is_empty() {
            continue;
        }
        let form = by_form.entry(key.clone()).or_insert_with(|| Form {
            entries: Vec::new(),
            kind: *kind,
            written: surface.clone(),
        });
        if !form.entries.contains(idx) {
            if let Some(&other) = form.entries.first() {
                let declared = ambiguous.get(&key).is_some_and(|q| {
                    q.contains(&entries[other].id) && q.contains(&entries[*idx].id)
                });
                if !declared {
                    return Err(OntologyError::new(
                        file,
                        *line_no,
                        format!(
                            "alias '{surface}' names both {} and {}; declare it in ontology/sources/ambiguous.tsv if that is intended",
                            entries[other].id, entries[*idx].id
                        ),
                    ));
                }
            }
            form.entries.push(*idx);
        }
    }
    // Declared order decides the default reading of an ambiguous alias.
    for (key, form) in by_form.iter_mut() {
        if let Some(order) = ambiguous.get(key) {
            form.entries.sort_by_key(|i| {
                order
                    .iter()
                    .position(|q| *q == entries[*i].id)
                    .unwrap_or(usize::MAX)
            });
        }
    }
    Ok(by_form)
}

/// The matcher of one language over its forms.
fn lang_index(by_form: BTreeMap<String, Form>, file: &str) -> Result<LangIndex, OntologyError> {
    let (keys, forms): (Vec<String>, Vec<IndexedForm>) = by_form
        .into_iter()
        .map(|(key, f)| {
            let all_caps = f
                .written
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
            let exact_case = f.written.chars().count() <= 4 || all_caps;
            let form = IndexedForm {
                entries: f.entries.into(),
                kind: f.kind,
                written: f.written,
                exact_case,
            };
            (key, form)
        })
        .unzip();
    // Searches are anchored at capitalised word starts and walk a
    // few bytes each: a contiguous NFA is compact (cache friendly) and
    // builds fast. A full DFA measured slower per search and doubled
    // start-up time and memory (0.04 -> 0.09 s, 22 -> 51 MB RSS).
    let automaton = NFA::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .prefilter(false)
        .build(&keys)
        .map_err(|e| OntologyError::new(file, 0, format!("cannot build the matcher: {e}")))?;
    Ok(LangIndex { automaton, forms })
}

impl Gazetteer {
    /// Reads and checks the gazetteer files, then builds one matcher per
    /// language.
    pub fn load(files: &GazetteerFiles<'_>) -> Result<Gazetteer, OntologyError> {
        let mut read = Read::default();
        let files_with_keys =
            std::iter::once((files.entities, true)).chain(files.unlinked.map(|f| (f, false)));
        for ((file, text), linked) in files_with_keys {
            for (line_no, line) in data_lines(text) {
                read.entry_line(file, line_no, line, linked)?;
            }
        }
        for (file, text) in &files.demonyms {
            read.demonyms(file, text)?;
        }
        let ambiguous = read_ambiguous(files.ambiguous)?;
        let mut index = HashMap::new();
        for lang in [Language::Id, Language::En] {
            let by_form = forms_of(lang, &read, &ambiguous)?;
            index.insert(lang, lang_index(by_form, files.entities.0)?);
        }
        Ok(Gazetteer {
            entries: read.entries,
            by_id: read.by_id,
            index,
        })
    }

    pub fn entry(&self, idx: usize) -> &GazEntry {
        &self.entries[idx]
    }

    /// Index of the entry with this id, a QID or a local id (for
    /// [`Gazetteer::entry`]).
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The entry with this id: a QID, or the local id of an entry known
    /// without one.
    pub fn by_id(&self, id: &str) -> Option<&GazEntry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> &[GazEntry] {
        &self.entries
    }

    /// Finds gazetteer names in `text[start..end]`: longest matches, left to
    /// right, on word boundaries, that begin with a capital or a digit (names
    /// are capitalised in news; this keeps "as" from matching "AS"); short or
    /// all-capital forms must match case exactly.
    pub fn find(&self, text: &str, start: usize, end: usize, lang: Language) -> Vec<GazMatch> {
        let Some(slice) = text.get(start..end) else {
            return Vec::new();
        };
        let Some(ix) = self.index.get(&lang) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        // Matches do not overlap: no match starts before this offset.
        let mut free_from = 0usize;
        let mut prev_is_word = false;
        let bytes = slice.as_bytes();
        let mut pos = 0;
        while pos < bytes.len() {
            // Bytes for ASCII (most news text); characters decoded only
            // where a multi-byte one starts.
            let (is_word, starts_name, len) = match bytes[pos] {
                b if b.is_ascii() => (
                    b.is_ascii_alphanumeric(),
                    b.is_ascii_uppercase() || b.is_ascii_digit(),
                    1,
                ),
                _ => match slice.get(pos..).and_then(|t| t.chars().next()) {
                    Some(c) => (c.is_alphanumeric(), c.is_uppercase(), c.len_utf8()),
                    None => break,
                },
            };
            let word_before = prev_is_word;
            prev_is_word = is_word;
            if starts_name && !word_before && pos >= free_from {
                if let Some((e, form)) = ix.longest_at(slice, pos) {
                    free_from = e;
                    out.push(GazMatch {
                        start: start + pos,
                        end: start + e,
                        entries: Arc::clone(&form.entries),
                        kind: form.kind,
                    });
                }
            }
            pos += len;
        }
        out
    }
}

impl LangIndex {
    /// The longest form that matches `slice` from byte `pos`, ends on a word
    /// boundary and passes its case rule: (end offset in `slice`, form).
    ///
    /// The trie is walked while the text is folded one character at a time,
    /// so no folded copy of the sentence (nor an offset map back to it) is
    /// built, and the walk stops at the first byte no form continues with:
    /// most capitalised words cost a few bytes.
    fn longest_at(&self, slice: &str, pos: usize) -> Option<(usize, &IndexedForm)> {
        let nfa = &self.automaton;
        let mut sid = nfa.start_state(Anchored::Yes).ok()?;
        // The longest form matched so far: (end of its last character, pattern).
        let mut longest: Option<(usize, usize)> = None;
        let mut last_space = false;
        // Folded bytes fed to the trie so far.
        let mut walked = 0usize;
        let text = slice.as_bytes();
        let mut at = pos;
        'walk: while at < text.len() {
            // ASCII folds byte by byte; other characters are decoded.
            let ascii;
            let other;
            let (folded, len): (&[u8], usize) = if text[at].is_ascii() {
                ascii = [fold_ascii_byte(text[at])];
                (&ascii, 1)
            } else {
                let c = slice.get(at..).and_then(|t| t.chars().next())?;
                other = fold_char(c);
                (other.as_bytes(), c.len_utf8())
            };
            let char_start = at;
            at += len;
            if folded == b" " {
                if last_space {
                    continue;
                }
                last_space = true;
            } else {
                last_space = false;
            }
            if folded.is_empty() {
                // A combining mark belongs to the letter before it.
                if let Some(last) = longest.as_mut().filter(|l| l.0 == char_start) {
                    last.0 = at;
                }
                continue;
            }
            for &b in folded {
                sid = nfa.next_state(Anchored::Yes, sid, b);
                if nfa.is_dead(sid) {
                    break 'walk;
                }
            }
            walked += folded.len();
            // A state also holds the forms that end it as a suffix
            // ("caribbean" in "eastern caribbean"): only a form as long as
            // the walk starts at `pos`.
            if nfa.is_match(sid) {
                if let Some(p) = (0..nfa.match_len(sid))
                    .map(|k| nfa.match_pattern(sid, k))
                    .find(|&p| nfa.pattern_len(p) == walked)
                {
                    longest = Some((at, p.as_usize()));
                }
            }
        }
        // Only the longest form counts: when it runs into a longer word
        // ("Amerika Selatannya"), a shorter one inside it ("Amerika") would
        // name something else.
        let (e, pattern) = longest?;
        let form = self.forms.get(pattern)?;
        let boundary = !slice[e..]
            .chars()
            .next()
            .is_some_and(|n| n.is_alphanumeric() || is_combining_mark(n));
        let original = slice.get(pos..e)?;
        (boundary && case_fits(form, original)).then_some((e, form))
    }
}

/// Short or all-capital forms match only as written or in capitals ("US"
/// is not "Us", "AS" not "As").
fn case_fits(form: &IndexedForm, original: &str) -> bool {
    if !form.exact_case || original == form.written {
        return true;
    }
    let caps = original
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase);
    caps && fold(original) == fold(&form.written)
}

/// Is `s` a Wikidata item id: `Q` and digits, no leading zero (`Q7747`, not
/// `Q0` or `Q007`)? The one test every ontology file uses.
pub fn is_qid(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('Q') else {
        return false;
    };
    !digits.is_empty() && !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTS: &str = "qid\ttype\tlabel_en\tlabel_id\taliases_en\taliases_id\textra\tconfidence\tsource\n\
Q423\tCountry\tNorth Korea\tKorea Utara\tDPRK|Democratic People's Republic of Korea\tKorut\tiso2=KP\tA\tx\n\
Q30\tCountry\tUnited States\tAmerika Serikat\tUS|U.S.\tAS\t\tA\tx\n\
Q7747\tPerson\tVladimir Putin\t\tPutin\tPutin\tcountry=Q159\tB\tx\n";

    fn gaz(ambiguous: &str) -> Result<Gazetteer, OntologyError> {
        Gazetteer::load(&GazetteerFiles {
            entities: ("gazetteer.tsv", ENTS),
            unlinked: None,
            demonyms: vec![("demonyms.tsv", "qid\tdemonyms_en\nQ423\tNorth Korean\n")],
            ambiguous: ("ambiguous.tsv", ambiguous),
        })
    }

    fn found(g: &Gazetteer, text: &str, lang: Language) -> Vec<String> {
        g.find(text, 0, text.len(), lang)
            .iter()
            .map(|m| format!("{}={}", &text[m.start..m.end], g.entry(m.entries[0]).id))
            .collect()
    }

    #[test]
    fn longest_match_with_folding_and_case_rules() {
        let g = gaz("alias\tqids\tnote\n").unwrap();
        assert_eq!(
            found(
                &g,
                "Korea  Utara dan AS, as well as the Democratic People’s Republic of Korea.",
                Language::Id
            ),
            vec![
                "Korea  Utara=Q423",
                "AS=Q30",
                "Democratic People’s Republic of Korea=Q423"
            ]
        );
        assert_eq!(
            found(&g, "as the US and North Korean leader Putin", Language::En),
            vec!["US=Q30", "North Korean=Q423", "Putin=Q7747"]
        );
        // "AS" is an Indonesian alias only
        assert!(found(&g, "AS", Language::En).is_empty());
        // no match inside words
        assert!(found(&g, "Putinism", Language::En).is_empty());
    }

    #[test]
    fn a_match_starts_where_the_walk_starts() {
        let ents = "qid\ttype\tlabel_en\tlabel_id\taliases_en\taliases_id\textra\n\
Q1\tPlace\tCaribbean\t\t\t\t\n\
Q2\tOrganization\tEastern Caribbean Central Bank\t\t\t\t\n\
Q3\tCountry\tRussia\tRusia\t\t\t\n";
        let g = Gazetteer::load(&GazetteerFiles {
            entities: ("g.tsv", ents),
            unlinked: None,
            demonyms: vec![],
            ambiguous: ("a.tsv", "alias\tqids\n"),
        })
        .unwrap();
        // The trie state after "eastern caribbean" also ends the form
        // "caribbean"; the match is that form where it starts, not a span
        // from "Eastern".
        assert_eq!(
            found(&g, "the Eastern Caribbean Supreme Court", Language::En),
            vec!["Caribbean=Q1"]
        );
        assert_eq!(
            found(&g, "the Eastern Caribbean Central Bank", Language::En),
            vec!["Eastern Caribbean Central Bank=Q2"]
        );
        // Punctuation outside ASCII ends a word; letters do not.
        assert_eq!(
            found(&g, "Rusia… dan Rusiaé", Language::Id),
            vec!["Rusia=Q3"]
        );
        // A longest form that runs into a longer word gives no shorter one
        // from the same start.
        assert!(!found(&g, "Eastern Caribbean Central Banks", Language::En)
            .iter()
            .any(|m| m.starts_with("Eastern")));
    }

    #[test]
    fn entries_without_a_qid_are_keyed_by_the_slug_of_their_name() {
        let unlinked = "local_id\ttype\tlabel_en\tlabel_id\taliases_en\taliases_id\textra\n\
retno_marsudi\tPerson\tRetno Marsudi\t\tRetno L.P. Marsudi\t\tcountry=Q252\n";
        let load = |unlinked: &str| {
            Gazetteer::load(&GazetteerFiles {
                entities: ("gazetteer.tsv", ENTS),
                unlinked: Some(("gazetteer-unlinked.tsv", unlinked)),
                demonyms: vec![],
                ambiguous: ("ambiguous.tsv", "alias\tqids\n"),
            })
        };
        let g = load(unlinked).unwrap();
        let e = g.by_id("retno_marsudi").unwrap();
        assert_eq!(
            (e.qid.as_deref(), e.entity_type),
            (None, EntityType::Person)
        );
        assert_eq!(g.by_id("Q7747").unwrap().qid.as_deref(), Some("Q7747"));
        assert_eq!(
            found(&g, "Menlu Retno L.P. Marsudi dan Putin", Language::Id),
            vec!["Retno L.P. Marsudi=retno_marsudi", "Putin=Q7747"]
        );
        // Not the slug of its label: earlier articles would name another entity.
        let err = load(&unlinked.replace("retno_marsudi\t", "retno\t"))
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.starts_with("gazetteer-unlinked.tsv:2: ") && err.contains("'retno_marsudi'"),
            "{err}"
        );
        // Names collide across the two files as within one.
        let err = load(&format!(
            "{unlinked}putin_junior\tPerson\tPutin Junior\t\tPutin\t\t\n"
        ))
        .err()
        .unwrap()
        .to_string();
        assert!(
            err.contains("gazetteer-unlinked.tsv:3") && err.contains("Q7747"),
            "{err}"
        );
    }

    #[test]
    fn undeclared_collisions_name_file_and_line() {
        let bad = format!("{ENTS}Q999\tCountry\tKorut Land\t\tKorut\t\t\tA\tx\n");
        let err = Gazetteer::load(&GazetteerFiles {
            entities: ("gazetteer.tsv", &bad),
            unlinked: None,
            demonyms: vec![],
            ambiguous: ("ambiguous.tsv", "alias\tqids\n"),
        })
        .err()
        .unwrap()
        .to_string();
        assert!(
            err.contains("gazetteer.tsv:5") && err.contains("Korut"),
            "{err}"
        );
    }

    #[test]
    fn bad_rows_are_reported() {
        let bad = "qid\ttype\tlabel_en\tlabel_id\taliases_en\taliases_id\textra\nX1\tCountry\tA\t\t\t\t\n";
        let err = Gazetteer::load(&GazetteerFiles {
            entities: ("g.tsv", bad),
            unlinked: None,
            demonyms: vec![],
            ambiguous: ("a.tsv", ""),
        })
        .err()
        .unwrap()
        .to_string();
        assert!(err.starts_with("g.tsv:2"), "{err}");
    }
}
