//! The extraction pipeline for one article: text -> sentences/tokens ->
//! mentions -> entities -> relations, returning an [`Extraction`] (and, for
//! `warta explain`, the intermediate [`Analysis`]).
//!
//! Extraction knows nothing of explaining: [`crate::explain`] reads the
//! [`Analysis`] afterwards (the near misses are computed there, on demand).

use crate::entities::{self, DocEntities};
use crate::input::Article;
use crate::mentions::{self, RawMention, Sentence};
use crate::model::{DocumentMeta, Extraction, Language};
use crate::ontology::{apply_local_links, Ontology};
use crate::relations::{self, TriggerHit};
use crate::text::{self, SegmentKind};
use std::collections::HashSet;

/// Everything the pipeline saw in one article.
pub struct Analysis {
    pub sentences: Vec<Sentence>,
    pub raw_mentions: Vec<RawMention>,
    pub entities: DocEntities,
    pub triggers: Vec<TriggerHit>,
    pub extraction: Extraction,
}

/// Runs the pipeline with one loaded ontology.
pub struct Extractor<'a> {
    ont: &'a Ontology,
}

impl<'a> Extractor<'a> {
    pub fn new(ont: &'a Ontology) -> Self {
        Extractor { ont }
    }

    pub fn ontology(&self) -> &Ontology {
        self.ont
    }

    /// The language to use: forced, else the article's own, else detected.
    pub fn language_of(article: &Article, forced: Option<Language>) -> Language {
        forced
            .or_else(|| article.language.as_deref().and_then(Language::parse))
            .unwrap_or_else(|| text::detect_language(&article.text).0)
    }

    pub fn extract(&self, article: &Article, forced: Option<Language>) -> Extraction {
        self.analyse(article, forced).extraction
    }

    pub fn analyse(&self, article: &Article, forced: Option<Language>) -> Analysis {
        let lang = Self::language_of(article, forced);
        let t = article.text.as_str();
        let sentences: Vec<Sentence> = text::sentences(t);
        let publisher = sentences
            .iter()
            .find(|s| s.segment.kind == SegmentKind::Boilerplate && s.segment.start == 0)
            .map(|s| {
                let dl = s.segment.text(t);
                dl.split([' ', ',', '('])
                    .next()
                    .unwrap_or(dl)
                    .trim()
                    .to_string()
            })
            .filter(|p| !p.is_empty() && !p.ends_with(':'));
        let raw = mentions::find_mentions(t, &sentences, self.ont, lang);
        let date = article
            .published
            .as_deref()
            .and_then(crate::relations::time::parse_date)
            .map(|d| d.to_string());
        let ents = entities::resolve(t, &raw, self.ont, lang, date.as_deref());
        let (relations, triggers) = relations::extract(
            t,
            &sentences,
            &ents,
            self.ont,
            lang,
            article.published.as_deref(),
        );
        // Entities the article names, plus any that take part in a relation.
        let in_relations: HashSet<&str> = relations
            .iter()
            .flat_map(|r| {
                [r.subject.as_str(), r.object.as_str()]
                    .into_iter()
                    .chain(r.location.as_deref())
                    .chain(r.attributed_to.as_deref())
            })
            .collect();
        let entities = ents
            .entities
            .iter()
            .zip(&ents.named)
            .filter(|(e, named)| **named || in_relations.contains(e.id.as_str()))
            .map(|(e, _)| e.clone())
            .collect();
        let document = DocumentMeta {
            id: article.id(),
            source: article.source.clone(),
            title: article.title.clone(),
            url: article.url.clone(),
            published: article.published.clone(),
            language: lang,
            publisher,
        };
        let mut analysis = Analysis {
            sentences,
            raw_mentions: raw,
            entities: ents,
            triggers,
            extraction: Extraction {
                document,
                entities,
                relations,
            },
        };
        apply_local_links(&mut analysis.extraction, &self.ont.local_links);
        analysis
    }
}

/// The public JSON shape of `warta extract` (one object per article), close
/// to the gold files so the two can be compared.
pub fn to_public_json(x: &Extraction) -> serde_json::Value {
    use serde_json::json;
    let entities: Vec<serde_json::Value> = x
        .entities
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "qid": e.qid,
                "label": e.label,
                "type": e.entity_type.name(),
                "mentions": e.mentions.iter().map(|m| json!({"text": m.text, "start": m.start, "end": m.end, "kind": m.kind})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let relations: Vec<serde_json::Value> = x
        .relations
        .iter()
        .map(|r| {
            let mut v = json!({
                "subject": r.subject,
                "relation": r.relation,
                "object": r.object,
                "polarity": r.polarity,
                "modality": r.modality,
                "time": r.time,
                "date": r.date,
                "location": r.location,
                "attributed_to": r.attributed_to,
                "confidence": r.confidence,
                "rule": r.rule,
                "trigger": r.trigger,
                "evidence": r.evidence,
                "start": r.start,
                "end": r.end,
            });
            if let (Some(p), Some(obj)) = (&r.position, v.as_object_mut()) {
                obj.insert("position".into(), json!(p));
            }
            v
        })
        .collect();
    json!({
        "source": x.document.source,
        "id": x.document.id,
        "language": x.document.language,
        "published": x.document.published,
        "title": x.document.title,
        "entities": entities,
        "relations": relations,
    })
}

/// Articles, one per language, written to reach most recognizers and
/// trigger rules: an edited ontology that loads is run on them.
const PROBE_ARTICLES: [(&str, &str); 2] = [
    (
        "probe-en.txt",
        "Russian President Vladimir Putin met North Korean leader Kim Jong Un in \
         Pyongyang on Tuesday. The United States condemned the visit, and China \
         blocked sanctions against North Korea at the UN Security Council. \
         \"We will not accept it,\" he said.",
    ),
    (
        "probe-id.txt",
        "Presiden Joko Widodo bertemu Perdana Menteri Jepang Yoshihide Suga di \
         Tokyo, Selasa (20/10). Menteri Luar Negeri Retno Marsudi mengecam \
         serangan itu dan mendesak Israel menghentikan operasi militernya.",
    ),
];

/// What must hold when one file of the built-in ontology is replaced by
/// `text` (`name` as in [`Ontology::FILES`]; the ontology fuzz target and
/// its replay test check it): a file that does not load is an error that
/// names an ontology file (that one, or one that refers to it: a
/// `positions.tsv` row whose person the edited gazetteer lost), and an
/// ontology that loads extracts the probe articles within
/// [`invariant_violations`]. Returns the problems.
pub fn edited_ontology_problems(name: &str, text: &str) -> Vec<String> {
    let ont = match Ontology::embedded_with(name, text) {
        Ok(ont) => ont,
        Err(e) if Ontology::FILES.iter().any(|f| e.file.ends_with(f)) => return Vec::new(),
        Err(e) => {
            return vec![format!(
                "editing {name}: the error names no ontology file: {e}"
            )]
        }
    };
    let extractor = Extractor::new(&ont);
    let mut problems = Vec::new();
    for (file, body) in PROBE_ARTICLES {
        let opts = crate::input::InputOptions::default();
        let Ok(article) = crate::input::read_bytes(file, body.as_bytes(), &opts) else {
            problems.push(format!("{file}: the probe article does not read"));
            continue;
        };
        let x = extractor.extract(&article, None);
        problems.extend(
            invariant_violations(&article, &x)
                .into_iter()
                .map(|p| format!("{name} edited, {file}: {p}")),
        );
    }
    problems
}

/// What must hold of any extraction, whatever the input (the fuzz targets
/// and their replay test check it): every span inside the text and on
/// character boundaries, every event's subject an entity and its object an
/// entity (or, for `testsWeapon`, a weapon class). Returns the violations.
pub fn invariant_violations(article: &Article, x: &Extraction) -> Vec<String> {
    let text = &article.text;
    let span_ok = |start: usize, end: usize| {
        start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
    };
    let mut problems = Vec::new();
    for e in &x.entities {
        for m in &e.mentions {
            if !span_ok(m.start, m.end) {
                problems.push(format!(
                    "mention {}..{} of {} is not a span of the text",
                    m.start, m.end, e.id
                ));
            }
        }
    }
    for r in &x.relations {
        if !span_ok(r.start, r.end) {
            problems.push(format!(
                "event {} {}..{} is not a span of the text",
                r.relation, r.start, r.end
            ));
        }
        if x.entity(&r.subject).is_none() {
            problems.push(format!(
                "event {}: subject {} is not an entity",
                r.relation, r.subject
            ));
        }
        if x.entity(&r.object).is_none() && r.relation != "testsWeapon" {
            problems.push(format!(
                "event {}: object {} is not an entity",
                r.relation, r.object
            ));
        }
    }
    problems
}
