//! `warta explain`: a readable account of what the pipeline did with one
//! article, sentence by sentence.
//!
//! Explaining only *reads* what extraction produced: the [`Analysis`] that
//! [`crate::extract::Extractor::analyse`] returns (sentences, resolved
//! mentions, trigger hits with their outcome, the extraction). The one thing
//! it computes itself is the near misses ([`nearmiss`]) and each sentence's
//! dependency tree ([`crate::syntax`]; extraction parses only the sentences
//! whose roles it reads off the tree): the tree shows a reader which verb an
//! argument hangs from. Dependencies
//! point one way: this module uses the stages, no stage uses it.

pub mod json;
pub mod nearmiss;

use crate::extract::Analysis;
use crate::input::Article;
use crate::ontology::{ModelLoadError, Ontology};
use crate::syntax::{self, Parse};
use crate::text::SegmentKind;

/// Each sentence's parse (in the article's language), in sentence order;
/// none when syntax is turned off (`--no-syntax`). Decodes the language's
/// model on the first call of the process.
pub fn trees(a: &Analysis, text: &str, ont: &Ontology) -> Result<Vec<Parse>, ModelLoadError> {
    if ont.syntax.is_off() {
        return Ok(Vec::new());
    }
    let lang = a.extraction.document.language;
    a.sentences
        .iter()
        .map(|s| syntax::parse_sentence(text, s, lang, &ont.syntax))
        .collect()
}

/// The near misses of the article (see [`nearmiss`]): for each sentence with
/// no trigger form and two or more actors, the rules that came nearest to
/// firing. Computed on demand, never by extraction.
pub fn near_misses(a: &Analysis, text: &str, ont: &Ontology) -> Vec<nearmiss::SentenceNearMisses> {
    nearmiss::find(text, a, ont.lexicon(a.extraction.document.language))
}

/// A readable account of what the pipeline did, sentence by sentence: the
/// mentions and the entities they resolved to, each trigger with its rule and
/// what came of it (the event, or why the rule did not fire), for a sentence
/// with actors but no trigger the rules that almost fired ("near miss"), and
/// the events. Under each sentence's text, its dependency tree on one line
/// (see [`Parse::bracketed`]). Fails only when the syntax model cannot be
/// loaded.
pub fn explain(article: &Article, a: &Analysis, ont: &Ontology) -> Result<String, ModelLoadError> {
    use std::fmt::Write;
    let t = article.text.as_str();
    let x = &a.extraction;
    let near = near_misses(a, t, ont);
    let trees = trees(a, t, ont)?;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "== {} ({}, {} sentences)",
        x.document.source,
        x.document.language.tag(),
        a.sentences.len()
    );
    for (si, sent) in a.sentences.iter().enumerate() {
        let kind = match sent.segment.kind {
            SegmentKind::Sentence => "sentence",
            SegmentKind::Title => "title",
            SegmentKind::Boilerplate => "not article (no events)",
        };
        let _ = writeln!(
            s,
            "\n[{si}] {kind} @{}..{}\n    \u{201C}{}\u{201D}",
            sent.segment.start,
            sent.segment.end,
            sent.segment.text(t)
        );
        if let Some(tree) = trees.get(si).filter(|p| !p.is_empty()) {
            let _ = writeln!(s, "    tree: {}", tree.bracketed());
        }
        for m in a.entities.mentions.iter().filter(|m| m.sentence == si) {
            let names: Vec<String> = m
                .entities
                .iter()
                .filter_map(|&e| a.entities.entities.get(e))
                .map(|e| {
                    format!(
                        "{} [{}{}]",
                        e.label,
                        e.entity_type.name(),
                        e.qid.as_ref().map_or(String::new(), |q| format!(" wd:{q}"))
                    )
                })
                .collect();
            let role = m.role.as_ref().map_or(String::new(), |r| {
                let owner = r
                    .owner
                    .and_then(|o| a.entities.entities.get(o))
                    .map_or("?".to_string(), |e| e.label.clone());
                format!("  role: {} of {owner}", r.position)
            });
            let _ = writeln!(
                s,
                "    mention {:?} {:?} -> {}{role}",
                t.get(m.start..m.end).unwrap_or(""),
                m.kind,
                names.join(" + ")
            );
        }
        for h in a.triggers.iter().filter(|h| h.sentence == si) {
            match &h.outcome {
                Ok(n) => {
                    let _ = writeln!(
                        s,
                        "    trigger {:?} ({}, {}) rule {} fired: {n} event(s){}",
                        h.trigger,
                        h.relation,
                        h.voice,
                        h.rule,
                        h.roles_from
                            .as_ref()
                            .map_or(String::new(), |p| format!(", roles from the {p}"))
                    );
                }
                Err(why) => {
                    let _ = writeln!(
                        s,
                        "    trigger {:?} ({}, {}) rule {} did not fire: {why}",
                        h.trigger, h.relation, h.voice, h.rule
                    );
                }
            }
        }
        for line in near
            .iter()
            .filter(|n| n.sentence == si)
            .flat_map(nearmiss::SentenceNearMisses::lines)
        {
            let _ = writeln!(s, "    {line}");
        }
        for r in x
            .relations
            .iter()
            .filter(|r| r.start >= sent.segment.start && r.end <= sent.segment.end)
        {
            let label = |id: &str| x.entity(id).map_or(id.to_string(), |e| e.label.clone());
            let mut extra = Vec::new();
            if let Some(p) = &r.position {
                extra.push(format!("position={p}"));
            }
            if let Some(tm) = &r.time {
                extra.push(format!(
                    "time={tm:?}{}",
                    r.date.as_ref().map_or(String::new(), |d| format!(" ({d})"))
                ));
            }
            if let Some(l) = &r.location {
                extra.push(format!("at={}", label(l)));
            }
            if let Some(by) = &r.attributed_to {
                extra.push(format!("said by={}", label(by)));
            }
            let _ = writeln!(
                s,
                "    EVENT {} {} {} [{} {}] conf={:.2} rule={} {}",
                label(&r.subject),
                r.relation,
                label(&r.object),
                r.polarity.name(),
                r.modality.name(),
                r.confidence,
                r.rule,
                extra.join(" ")
            );
        }
    }
    Ok(s)
}
