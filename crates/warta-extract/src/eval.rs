//! Scoring against gold annotations (the format of `shared/eval/README.md`).
//!
//! Entities: precision, recall and F1 over distinct entities per article; an
//! extracted entity matches a gold one by QID when both have one, else by a
//! normalised name. Linking accuracy: of the matched gold entities that have
//! a QID, the share extracted with that QID. Relations: precision, recall and
//! F1 over (subject, relation, object) after mapping entities to gold ids,
//! symmetric relations in either order; the strict score also requires
//! polarity and modality to match. Optional gold items are neither required
//! nor false positives. Everything is micro-averaged over articles.

use crate::extract::Extractor;
use crate::input::Article;
use crate::model::{Entity, Extraction, Language, MentionKind, Relation};
use crate::ontology::Ontology;
use crate::text::fold;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// A gold file could not be read or does not follow the format.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: {message}")]
    Gold { path: PathBuf, message: String },
    #[error("{0}: no *.gold.json files found")]
    Empty(PathBuf),
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldEntity {
    pub id: String,
    pub qid: Option<String>,
    #[serde(rename = "type")]
    pub entity_type: String,
    pub names: Vec<String>,
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldRelation {
    pub subject: String,
    pub relation: String,
    pub object: String,
    #[serde(default = "positive")]
    pub polarity: String,
    #[serde(default = "asserted")]
    pub modality: String,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub evidence: Option<String>,
}

fn positive() -> String {
    "positive".into()
}
fn asserted() -> String {
    "asserted".into()
}

#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    pub text: String,
    pub language: String,
    pub published: Option<String>,
    pub entities: Vec<GoldEntity>,
    pub relations: Vec<GoldRelation>,
}

/// Counts for one score.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// One item of the per-article detail.
#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    pub kind: String,
    pub item: String,
    pub sentence: Option<String>,
}

/// Scores of one article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleScore {
    pub file: String,
    pub entities: Counts,
    pub linking: (usize, usize),
    pub relations: Counts,
    pub relations_strict: Counts,
    pub details: Vec<Detail>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub articles: Vec<ArticleScore>,
    pub entities: Counts,
    pub linking_accuracy: f64,
    pub relations: Counts,
    pub relations_strict: Counts,
    pub per_relation: BTreeMap<String, (Counts, Counts)>,
}

const SYMMETRIC: [&str; 3] = ["meets", "cooperatesWith", "signsAgreementWith"];

/// Reads every `*.gold.json` in `dir` (sorted) with its text.
pub fn load_gold(dir: &Path) -> Result<Vec<(PathBuf, Gold, String)>, EvalError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| EvalError::Gold {
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(EvalError::Empty(dir.to_path_buf()));
    }
    let mut out = Vec::new();
    for path in files {
        let raw = std::fs::read_to_string(&path).map_err(|e| EvalError::Gold {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let gold: Gold = serde_json::from_str(&raw).map_err(|e| EvalError::Gold {
            path: path.clone(),
            message: format!("line {}, column {}: {e}", e.line(), e.column()),
        })?;
        let ids: Vec<&str> = gold.entities.iter().map(|e| e.id.as_str()).collect();
        for (i, r) in gold.relations.iter().enumerate() {
            for (field, v) in [("subject", &r.subject), ("object", &r.object)] {
                let weapon = field == "object" && r.relation == "testsWeapon";
                if !weapon && !ids.contains(&v.as_str()) {
                    return Err(EvalError::Gold {
                        path: path.clone(),
                        message: format!(
                            "relations[{i}].{field}: '{v}' is not an entity id of this file"
                        ),
                    });
                }
            }
            if !matches!(r.polarity.as_str(), "positive" | "negative") {
                return Err(EvalError::Gold {
                    path: path.clone(),
                    message: format!(
                        "relations[{i}].polarity: '{}' is not positive/negative",
                        r.polarity
                    ),
                });
            }
            if !matches!(r.modality.as_str(), "asserted" | "planned" | "possible") {
                return Err(EvalError::Gold {
                    path: path.clone(),
                    message: format!(
                        "relations[{i}].modality: '{}' is not asserted/planned/possible",
                        r.modality
                    ),
                });
            }
        }
        let text_path = path.with_file_name(&gold.text);
        let text = std::fs::read_to_string(&text_path).map_err(|e| EvalError::Gold {
            path: path.clone(),
            message: format!("text: cannot read {}: {e}", text_path.display()),
        })?;
        out.push((path, gold, text));
    }
    Ok(out)
}

/// Extracts every gold article and scores it.
pub fn evaluate(dir: &Path, ont: &Ontology) -> Result<Report, EvalError> {
    let extractor = Extractor::new(ont);
    let mut articles = Vec::new();
    for (path, gold, text) in load_gold(dir)? {
        let article = Article {
            source: gold.text.clone(),
            title: None,
            url: None,
            published: gold.published.clone(),
            language: Some(gold.language.clone()),
            text: crate::input::normalise_text(&text),
        };
        let lang = Language::parse(&gold.language);
        let x = extractor.extract(&article, lang);
        let mut score = score_article(&gold, &x);
        score.file = path
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().to_string());
        articles.push(score);
    }
    Ok(aggregate(articles))
}

fn aggregate(articles: Vec<ArticleScore>) -> Report {
    let mut entities = Counts::default();
    let mut relations = Counts::default();
    let mut strict = Counts::default();
    let mut link = (0, 0);
    let mut per_relation: BTreeMap<String, (Counts, Counts)> = BTreeMap::new();
    for a in &articles {
        entities.add(a.entities);
        relations.add(a.relations);
        strict.add(a.relations_strict);
        link.0 += a.linking.0;
        link.1 += a.linking.1;
        for d in a.details.iter().filter(|d| d.kind.starts_with("relation-")) {
            let rel = d.item.split(' ').nth(1).unwrap_or("").to_string();
            let entry = per_relation.entry(rel).or_default();
            match d.kind.as_str() {
                "relation-tp" => {
                    entry.0.tp += 1;
                }
                "relation-fp" => entry.0.fp += 1,
                "relation-fn" => entry.0.fn_ += 1,
                "relation-strict-tp" => entry.1.tp += 1,
                "relation-strict-fp" => entry.1.fp += 1,
                "relation-strict-fn" => entry.1.fn_ += 1,
                _ => {}
            }
        }
    }
    per_relation.retain(|k, _| !k.is_empty());
    Report {
        linking_accuracy: ratio(link.0, link.1),
        articles,
        entities,
        relations,
        relations_strict: strict,
        per_relation,
    }
}

/// Scores one article's extraction against its gold.
pub fn score_article(gold: &Gold, x: &Extraction) -> ArticleScore {
    let mut details = Vec::new();
    let map = gold_entity_of(gold, x);
    let (entities, linking) = score_entities(gold, x, &map, &mut details);
    let mut tally = RelationTally::new(gold);
    for r in &x.relations {
        tally.extracted(gold, &map, r, &mut details);
    }
    tally.missed(gold, &mut details);
    ArticleScore {
        file: String::new(),
        entities,
        linking,
        relations: tally.lenient,
        relations_strict: tally.strict,
        details,
    }
}

/// Extracted entity id -> index of the gold entity it is: by QID, else by
/// a name (label or a name mention) folded like one of the gold names.
fn gold_entity_of<'x>(gold: &Gold, x: &'x Extraction) -> HashMap<&'x str, usize> {
    let gold_by_name: HashMap<String, usize> = gold
        .entities
        .iter()
        .enumerate()
        .flat_map(|(i, g)| g.names.iter().map(move |n| (fold(n), i)))
        .collect();
    let mut map: HashMap<&str, usize> = HashMap::new();
    for e in &x.entities {
        let by_qid = e.qid.as_ref().and_then(|q| {
            gold.entities
                .iter()
                .position(|g| g.qid.as_deref() == Some(q.as_str()))
        });
        let by_name = || {
            std::iter::once(e.label.as_str())
                .chain(
                    e.mentions
                        .iter()
                        .filter(|m| m.kind == MentionKind::Name)
                        .map(|m| m.text.as_str()),
                )
                .find_map(|n| gold_by_name.get(&fold(n)).copied())
        };
        if let Some(g) = by_qid.or_else(by_name) {
            map.insert(e.id.as_str(), g);
        }
    }
    map
}

/// Entity counts and (correct, gold with QID) links.
fn score_entities(
    gold: &Gold,
    x: &Extraction,
    map: &HashMap<&str, usize>,
    details: &mut Vec<Detail>,
) -> (Counts, (usize, usize)) {
    let mut ent = Counts::default();
    let mut linking = (0, 0);
    for (gi, g) in gold.entities.iter().enumerate() {
        let found: Vec<&Entity> = x
            .entities
            .iter()
            .filter(|e| map.get(e.id.as_str()) == Some(&gi))
            .collect();
        if found.is_empty() {
            if !g.optional {
                ent.fn_ += 1;
                details.push(Detail {
                    kind: "entity-fn".into(),
                    item: format!(
                        "{} ({}, {})",
                        g.names.first().map_or("", |s| s.as_str()),
                        g.entity_type,
                        g.qid.as_deref().unwrap_or("no QID")
                    ),
                    sentence: None,
                });
            }
            continue;
        }
        if !g.optional {
            ent.tp += 1;
        }
        if let Some(q) = &g.qid {
            linking.1 += 1;
            if found.iter().any(|e| e.qid.as_deref() == Some(q.as_str())) {
                linking.0 += 1;
            } else {
                details.push(Detail {
                    kind: "link-error".into(),
                    item: format!(
                        "{} should be {q}, got {:?}",
                        g.id,
                        found.iter().map(|e| e.qid.clone()).collect::<Vec<_>>()
                    ),
                    sentence: None,
                });
            }
        }
    }
    for e in &x.entities {
        if !map.contains_key(e.id.as_str()) {
            ent.fp += 1;
            details.push(Detail {
                kind: "entity-fp".into(),
                item: format!(
                    "{} ({:?}, {})",
                    e.label,
                    e.entity_type,
                    e.qid.as_deref().unwrap_or("no QID")
                ),
                sentence: None,
            });
        }
    }
    (ent, linking)
}

/// Relations matched so far against the gold, leniently (subject,
/// relation, object) and strictly (polarity and modality too).
struct RelationTally {
    lenient: Counts,
    strict: Counts,
    matched: Vec<bool>,
    matched_strict: Vec<bool>,
}

impl RelationTally {
    fn new(gold: &Gold) -> Self {
        RelationTally {
            lenient: Counts::default(),
            strict: Counts::default(),
            matched: vec![false; gold.relations.len()],
            matched_strict: vec![false; gold.relations.len()],
        }
    }

    /// Counts one extracted relation: a hit (once per gold relation) or a
    /// false positive.
    fn extracted(
        &mut self,
        gold: &Gold,
        map: &HashMap<&str, usize>,
        r: &Relation,
        details: &mut Vec<Detail>,
    ) {
        let gid = |id: &str, rel: &str, object: bool| -> String {
            if object && rel == "testsWeapon" {
                return id.to_string();
            }
            map.get(id)
                .map_or_else(|| format!("?{id}"), |&g| gold.entities[g].id.clone())
        };
        let same = |g: &GoldRelation, s: &str, o: &str, rel: &str| {
            g.relation == rel
                && ((g.subject == s && g.object == o)
                    || (SYMMETRIC.contains(&rel) && g.subject == o && g.object == s))
        };
        let s = gid(&r.subject, &r.relation, false);
        let o = gid(&r.object, &r.relation, true);
        let label = format!("{s} {} {o}", r.relation);
        let hit = gold
            .relations
            .iter()
            .position(|g| same(g, &s, &o, &r.relation));
        match hit {
            Some(i) => self.hit(&gold.relations[i], i, r, label, details),
            None => {
                self.lenient.fp += 1;
                self.strict.fp += 1;
                details.push(Detail {
                    kind: "relation-fp".into(),
                    item: label.clone(),
                    sentence: Some(r.sentence.clone()),
                });
                details.push(Detail {
                    kind: "relation-strict-fp".into(),
                    item: label,
                    sentence: None,
                });
            }
        }
    }

    /// An extracted relation that matches gold relation `i` (`g`).
    fn hit(
        &mut self,
        g: &GoldRelation,
        i: usize,
        r: &Relation,
        label: String,
        details: &mut Vec<Detail>,
    ) {
        if !g.optional && !self.matched[i] {
            self.lenient.tp += 1;
            details.push(Detail {
                kind: "relation-tp".into(),
                item: label.clone(),
                sentence: None,
            });
        }
        self.matched[i] = true;
        let strict_ok = g.polarity == r.polarity.name() && g.modality == r.modality.name();
        if strict_ok {
            if !g.optional && !self.matched_strict[i] {
                self.strict.tp += 1;
                details.push(Detail {
                    kind: "relation-strict-tp".into(),
                    item: label,
                    sentence: None,
                });
            }
            self.matched_strict[i] = true;
        } else if !g.optional {
            self.strict.fp += 1;
            details.push(Detail {
                kind: "relation-strict-fp".into(),
                item: format!(
                    "{label} [{} {}, gold {} {}]",
                    r.polarity.name(),
                    r.modality.name(),
                    g.polarity,
                    g.modality
                ),
                sentence: Some(r.sentence.clone()),
            });
        }
    }

    /// The gold relations (not optional) nothing matched: false negatives.
    fn missed(&mut self, gold: &Gold, details: &mut Vec<Detail>) {
        for (i, g) in gold.relations.iter().enumerate() {
            if g.optional {
                continue;
            }
            let label = format!("{} {} {}", g.subject, g.relation, g.object);
            if !self.matched[i] {
                self.lenient.fn_ += 1;
                details.push(Detail {
                    kind: "relation-fn".into(),
                    item: label.clone(),
                    sentence: g.evidence.clone(),
                });
            }
            if !self.matched_strict[i] {
                self.strict.fn_ += 1;
                details.push(Detail {
                    kind: "relation-strict-fn".into(),
                    item: label,
                    sentence: None,
                });
            }
        }
    }
}

impl Report {
    /// The human-readable table.
    pub fn render(&self, verbose: bool) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let line = |s: &mut String, name: &str, c: &Counts| {
            let _ = writeln!(
                s,
                "{name:<28} {:>6.3} {:>6.3} {:>6.3} {:>5} {:>5} {:>5}",
                c.precision(),
                c.recall(),
                c.f1(),
                c.tp,
                c.fp,
                c.fn_
            );
        };
        let _ = writeln!(
            s,
            "{:<28} {:>6} {:>6} {:>6} {:>5} {:>5} {:>5}",
            "", "P", "R", "F1", "TP", "FP", "FN"
        );
        line(&mut s, "entities", &self.entities);
        let _ = writeln!(
            s,
            "{:<28} {:>6.3}",
            "linking accuracy", self.linking_accuracy
        );
        line(&mut s, "relations (lenient)", &self.relations);
        line(&mut s, "relations (strict)", &self.relations_strict);
        let _ = writeln!(s, "\nper relation (lenient | strict F1)");
        for (rel, (l, st)) in &self.per_relation {
            let _ = writeln!(
                s,
                "  {rel:<26} {:>6.3} {:>6.3} {:>6.3} {:>5} {:>5} {:>5} | {:>6.3}",
                l.precision(),
                l.recall(),
                l.f1(),
                l.tp,
                l.fp,
                l.fn_,
                st.f1()
            );
        }
        let _ = writeln!(
            s,
            "\nper article (entities F1, relations F1 lenient/strict)"
        );
        for a in &self.articles {
            let _ = writeln!(
                s,
                "  {:<40} {:>6.3} {:>6.3} {:>6.3}",
                a.file,
                a.entities.f1(),
                a.relations.f1(),
                a.relations_strict.f1()
            );
            if verbose {
                for d in a
                    .details
                    .iter()
                    .filter(|d| !d.kind.ends_with("-tp") && !d.kind.starts_with("relation-strict"))
                {
                    let _ = writeln!(s, "      {:<12} {}", d.kind, d.item);
                    if let Some(sent) = &d.sentence {
                        let _ = writeln!(
                            s,
                            "                   \u{201C}{}\u{201D}",
                            sent.chars().take(200).collect::<String>()
                        );
                    }
                }
                for d in a
                    .details
                    .iter()
                    .filter(|d| d.kind == "relation-strict-fp" && d.item.contains('['))
                {
                    let _ = writeln!(s, "      {:<12} {}", "strict-miss", d.item);
                }
            }
        }
        s
    }
}
