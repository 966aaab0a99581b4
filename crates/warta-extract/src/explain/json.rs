//! `warta explain --json`: the account of [`super::explain`] as one JSON
//! object per article, for tools: every sentence with its span, its
//! dependency tree (a `tree` array of words with byte offsets, 1-based
//! heads and relations), the mentions and what they resolved to, the
//! triggers and their outcome, the near misses and the events (in the
//! shape `warta extract` prints them).

use super::{near_misses, nearmiss, trees};
use crate::extract::{to_public_json, Analysis};
use crate::input::Article;
use crate::ontology::{ModelLoadError, Ontology};
use crate::syntax::Parse;
use crate::text::SegmentKind;
use serde_json::{json, Value};

/// A parse as the `tree` array: one object per word.
pub fn tree_json(p: &Parse) -> Value {
    Value::Array(
        p.words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                json!({
                    "id": i + 1,
                    "form": w.form,
                    "upos": w.upos.as_str(),
                    "head": w.head,
                    "deprel": w.deprel,
                    "start": w.span.start,
                    "end": w.span.end,
                    "token": w.token,
                })
            })
            .collect(),
    )
}

/// The mentions of sentence `si` and the entities they resolved to.
fn mentions_json(a: &Analysis, t: &str, si: usize) -> Vec<Value> {
    a.entities
        .mentions
        .iter()
        .filter(|m| m.sentence == si)
        .map(|m| {
            let entities: Vec<Value> = m
                .entities
                .iter()
                .filter_map(|&e| a.entities.entities.get(e))
                .map(|e| json!({"id": e.id, "label": e.label, "type": e.entity_type.name(), "qid": e.qid}))
                .collect();
            json!({
                "text": t.get(m.start..m.end).unwrap_or(""),
                "start": m.start,
                "end": m.end,
                "kind": format!("{:?}", m.kind),
                "entities": entities,
            })
        })
        .collect()
}

/// The explanation of one article as JSON. Fails only when the syntax
/// model cannot be loaded.
pub fn explain_json(
    article: &Article,
    a: &Analysis,
    ont: &Ontology,
) -> Result<Value, ModelLoadError> {
    let t = article.text.as_str();
    let x = &a.extraction;
    let near = near_misses(a, t, ont);
    let trees = trees(a, t, ont)?;
    let public = to_public_json(x);
    let events: &[Value] = public["relations"].as_array().map_or(&[], Vec::as_slice);
    let mut sentences = Vec::with_capacity(a.sentences.len());
    for (si, sent) in a.sentences.iter().enumerate() {
        let seg = &sent.segment;
        let kind = match seg.kind {
            SegmentKind::Sentence => "sentence",
            SegmentKind::Title => "title",
            SegmentKind::Boilerplate => "boilerplate",
        };
        let triggers: Vec<Value> = a
            .triggers
            .iter()
            .filter(|h| h.sentence == si)
            .map(|h| {
                let (events, why) = match &h.outcome {
                    Ok(n) => (Some(*n), None),
                    Err(why) => (None, Some(why.as_str())),
                };
                json!({
                    "trigger": h.trigger, "start": h.start, "end": h.end,
                    "relation": h.relation, "voice": h.voice, "rule": h.rule,
                    "events": events, "not_fired": why, "roles_from": h.roles_from,
                })
            })
            .collect();
        let near_lines: Vec<String> = near
            .iter()
            .filter(|n| n.sentence == si)
            .flat_map(nearmiss::SentenceNearMisses::lines)
            .collect();
        let in_sentence: Vec<&Value> = x
            .relations
            .iter()
            .zip(events)
            .filter(|(r, _)| r.start >= seg.start && r.end <= seg.end)
            .map(|(_, v)| v)
            .collect();
        sentences.push(json!({
            "index": si,
            "kind": kind,
            "start": seg.start,
            "end": seg.end,
            "text": seg.text(t),
            "tree": trees.get(si).map_or(Value::Array(Vec::new()), tree_json),
            "mentions": mentions_json(a, t, si),
            "triggers": triggers,
            "near_misses": near_lines,
            "events": in_sentence,
        }));
    }
    Ok(json!({
        "source": x.document.source,
        "id": x.document.id,
        "language": x.document.language,
        "sentences": sentences,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Extractor;
    use crate::model::Language;

    #[test]
    fn each_sentence_has_its_tree_and_events() {
        let ont = Ontology::embedded().expect("ontology");
        let article = Article {
            source: "a.txt".into(),
            title: None,
            url: None,
            published: Some("2024-03-04".into()),
            language: None,
            text: "French President Emmanuel Macron met German Chancellor Olaf Scholz in Paris on Monday.\n".into(),
        };
        let a = Extractor::new(&ont).analyse(&article, Some(Language::En));
        let v = explain_json(&article, &a, &ont).expect("explained");
        let s = &v["sentences"][0];
        let tree = s["tree"].as_array().expect("tree");
        assert!(!tree.is_empty());
        assert_eq!(tree.iter().filter(|w| w["head"] == 0).count(), 1);
        let met = tree.iter().find(|w| w["form"] == "met").expect("met");
        assert_eq!(met["deprel"], "root");
        for w in tree {
            let (b, e) = (
                w["start"].as_u64().expect("start"),
                w["end"].as_u64().expect("end"),
            );
            assert_eq!(
                Some(w["form"].as_str().expect("form")),
                article.text.get(b as usize..e as usize)
            );
        }
        let events = s["events"].as_array().expect("events");
        assert!(events.iter().any(|e| e["relation"] == "meets"), "{s}");
        assert!(s["triggers"][0]["rule"].is_string(), "{s}");
    }
}
