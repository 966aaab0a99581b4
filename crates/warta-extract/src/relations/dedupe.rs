//! One relation per reading: the same (subject, relation, object, polarity,
//! modality, position) found by two triggers or two sentences is one event.

use crate::model::{Modality, Polarity, Relation};
use std::collections::HashMap;

/// (subject, relation, object, polarity, modality, position)
type RelationKey = (String, String, String, Polarity, Modality, Option<String>);

/// One relation per (subject, relation, object, polarity, modality, position):
/// the most confident reading, with time and place filled from any reading.
pub(super) fn dedupe(mut rels: Vec<Relation>) -> Vec<Relation> {
    let mut out: Vec<Relation> = Vec::new();
    let mut index: HashMap<RelationKey, usize> = HashMap::new();
    rels.sort_by_key(|r| r.start);
    for r in rels {
        let symmetric = super::is_symmetric(&r.relation);
        let (a, b) = if symmetric && r.object < r.subject {
            (r.object.clone(), r.subject.clone())
        } else {
            (r.subject.clone(), r.object.clone())
        };
        let key = (
            a,
            r.relation.clone(),
            b,
            r.polarity,
            r.modality,
            r.position.clone(),
        );
        if let Some(&i) = index.get(&key) {
            let kept = &mut out[i];
            if kept.time.is_none() {
                kept.time = r.time.clone();
                kept.date = r.date.clone();
            }
            if kept.location.is_none() {
                kept.location = r.location.clone();
            }
            if r.confidence > kept.confidence {
                kept.confidence = r.confidence;
            }
            continue;
        }
        index.insert(key, out.len());
        out.push(r);
    }
    out
}
