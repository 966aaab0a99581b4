//! Roles read off the dependency tree, for a trigger whose surface walk
//! found none.
//!
//! The lexicon's `[tree]` paths say which relations give which role: an
//! active verb's `nsubj` is the agent and its `obj`, or an `obl` whose
//! `case` word is one of the rule's prepositions, the other side; a passive
//! verb's `nsubj:pass` is the patient and an `obl:agent` (or an `obl` with
//! "by"/"oleh") the agent; a noun's `nmod:poss` is the agent. A trigger
//! attached to its head by `xcomp`, `conj` or `advcl` (with no subject of its own: "said, praising X") shares the head's subject
//! ("agreed to meet", "arrived and met"), and a nominal trigger that is a
//! verb's `obj` the verb's subject ("paid a visit to"). From a role's word, the mention
//! it stands for is its own, or one reached down `appos`, `flat`, `nmod`,
//! ... ("the president, Joko Widodo"). The path that filled each role is
//! kept for `warta explain`.

use super::{filled, object_allowed, symmetric_pairs, Filled, Objects, TriggerAt};
use crate::model::Language;
use crate::ontology::lexicon::TreePaths;
use crate::ontology::Voice;
use crate::relations::context::Ctx;
use crate::relations::units::{Group, Unit};
use crate::syntax::Parse;
use crate::text::{fold_cow, SegmentKind};

/// A role found in the tree: the group it names and how it was reached.
struct TreeRole {
    group: Group,
    path: String,
}

/// The roles of one trigger from the tree, with the paths that gave them.
pub(super) fn fill(
    ctx: &Ctx<'_>,
    trig: &TriggerAt<'_>,
) -> Result<(Vec<Filled>, String), &'static str> {
    // Headlines are title case and telegraphic: the models, trained on
    // running text, parse them badly.
    if ctx.syntax.sentence.segment.kind == SegmentKind::Title {
        return Err("headlines get no tree roles");
    }
    // Parsing costs more than the rest of extraction: long sentences parse
    // least reliably, and only a sentence with an actor and a second entity
    // (on both sides of an active verb) can give an event.
    if ctx.toks.len() > ctx.lex.tree.max_tokens {
        return Err("the sentence is too long to parse for roles");
    }
    if !two_candidates(ctx) || !roles_can_stand(ctx, trig) {
        return Err("no candidates on both sides for the tree");
    }
    let parse = ctx
        .parse()
        .ok_or("no tree (the syntax model is not available)")?;
    let head = trigger_word(parse, trig).ok_or("the trigger has no word in the tree")?;
    let paths = &ctx.lex.tree;
    let subject = match trig.voice {
        Voice::Active => active_subject(ctx, parse, head, paths),
        Voice::Passive => passive_agent(ctx, parse, head, paths),
        Voice::Nominal => nominal_subject(ctx, parse, head, paths),
    }
    .ok_or("no subject in the tree either")?;
    let object = match trig.voice {
        Voice::Passive => dependent_role(ctx, parse, head, &paths.passive_subject, None, false),
        Voice::Active | Voice::Nominal => active_object(ctx, parse, head, trig, paths),
    };
    let Some(object) = object else {
        let pairs = symmetric_pairs(ctx, trig, &subject.group)?;
        return Ok((pairs, format!("tree: subject {}", subject.path)));
    };
    if same_entities(&subject.group, &object.group) {
        return Err("the tree gives the same entity as subject and object");
    }
    if super::object::names_an_event(ctx, trig, &object.group) {
        return Err("the tree's object names an event ('the BRICS summit')");
    }
    let objects = Objects {
        entities: object.group.entities.clone(),
        span: Some((object.group.first, object.group.last)),
        carried: false,
    };
    let done = filled(ctx, trig, &subject.group, objects)?;
    Ok((
        done,
        format!("tree: subject {}, object {}", subject.path, object.path),
    ))
}

/// The word standing for the trigger: of the trigger's words, the one whose
/// head lies outside them.
fn trigger_word(parse: &Parse, trig: &TriggerAt<'_>) -> Option<usize> {
    let words: Vec<usize> = (trig.t0..trig.t1)
        .filter_map(|t| parse.head_word(t))
        .collect();
    words
        .iter()
        .copied()
        .find(|&w| parse.head_of(w).is_none_or(|h| !words.contains(&h)))
        .or_else(|| words.first().copied())
}

/// An active verb's subject, or the subject of the verb it is attached to
/// by an `inherit` relation ("agreed to meet": `xcomp`).
fn active_subject(
    ctx: &Ctx<'_>,
    parse: &Parse,
    head: usize,
    paths: &TreePaths,
) -> Option<TreeRole> {
    let mut verb = head;
    let mut via = String::new();
    for _ in 0..4 {
        if let Some(mut role) = dependent_role(ctx, parse, verb, &paths.subject, None, true) {
            role.path = format!("{via}{}", role.path);
            return Some(role);
        }
        let rel = parse.words[verb].deprel.as_str();
        if !paths.inherit.iter().any(|p| p == rel) {
            return None;
        }
        via.push_str(&format!("^{rel} "));
        verb = parse.head_of(verb)?;
    }
    None
}

/// A nominal trigger's agent: its possessor ("Russia's invasion"), else
/// the subject of the verb it is the object of ("X paid a visit").
fn nominal_subject(
    ctx: &Ctx<'_>,
    parse: &Parse,
    head: usize,
    paths: &TreePaths,
) -> Option<TreeRole> {
    if let Some(role) = dependent_role(ctx, parse, head, &paths.possessor, None, true) {
        return Some(role);
    }
    let rel = parse.words[head].deprel.as_str();
    if !paths.nominal_inherit.iter().any(|p| p == rel) {
        return None;
    }
    let verb = parse.head_of(head)?;
    let mut role = active_subject(ctx, parse, verb, paths)?;
    role.path = format!("^{rel} {}", role.path);
    Some(role)
}

/// A passive's agent: an `obl:agent`, or an oblique marked by "by"/"oleh".
fn passive_agent(ctx: &Ctx<'_>, parse: &Parse, head: usize, paths: &TreePaths) -> Option<TreeRole> {
    dependent_role(ctx, parse, head, &paths.passive_agent, None, true).or_else(|| {
        let by = &ctx.lex.words.passive_agent;
        dependent_role(ctx, parse, head, &paths.oblique, Some(by), true)
    })
}

/// The other side: a direct object when the rule takes one, else an
/// oblique marked by one of the rule's prepositions.
fn active_object(
    ctx: &Ctx<'_>,
    parse: &Parse,
    head: usize,
    trig: &TriggerAt<'_>,
    paths: &TreePaths,
) -> Option<TreeRole> {
    let direct = (trig.rule.direct_object && trig.voice == Voice::Active)
        .then(|| dependent_role(ctx, parse, head, &paths.object, None, false))
        .flatten();
    direct.or_else(|| {
        (!trig.rule.object_preps.is_empty())
            .then(|| {
                dependent_role(
                    ctx,
                    parse,
                    head,
                    &paths.oblique,
                    Some(&trig.rule.object_preps),
                    false,
                )
            })
            .flatten()
    })
}

/// The first dependent of `head` by one of `relations` (marked by one of
/// `case_words` when given) that stands for a group of mentions.
fn dependent_role(
    ctx: &Ctx<'_>,
    parse: &Parse,
    head: usize,
    relations: &[String],
    case_words: Option<&[String]>,
    subject: bool,
) -> Option<TreeRole> {
    let actor = |g: &Group| has_actor(ctx, g);
    let any = |g: &Group| !g.entities.is_empty();
    let accept: &dyn Fn(&Group) -> bool = if subject { &actor } else { &any };
    for d in parse.dependents(head) {
        let rel = parse.words[d].deprel.as_str();
        if !relations.iter().any(|r| r == rel) {
            continue;
        }
        let case = match case_words {
            None => None,
            Some(words) => match case_marker(parse, d, words) {
                Some(c) => Some(c),
                None => continue,
            },
        };
        if let Some((group, down)) = group_of(ctx, parse, d, accept) {
            let marked = case.map_or(String::new(), |c| format!("({c})"));
            return Some(TreeRole {
                group,
                path: format!("{rel}{marked}{down}"),
            });
        }
    }
    None
}

/// The `case` word of `word` that is one of `words` (folded), if any.
fn case_marker(parse: &Parse, word: usize, words: &[String]) -> Option<String> {
    parse.dependents(word).find_map(|c| {
        let w = &parse.words[c];
        let folded = fold_cow(&w.form);
        (w.universal_deprel() == "case" && words.iter().any(|x| *x == *folded))
            .then(|| folded.to_string())
    })
}

/// The mentions word `word` stands for: the unit over its token, else one
/// reached down the `step_over` relations (in their order, at most two
/// steps) that `accept` takes; with the units of its `conj` dependents
/// and the steps taken.
fn group_of(
    ctx: &Ctx<'_>,
    parse: &Parse,
    word: usize,
    accept: &dyn Fn(&Group) -> bool,
) -> Option<(Group, String)> {
    let mut frontier = vec![(word, String::new())];
    for _ in 0..3 {
        for (w, path) in &frontier {
            if let Some(g) = ctx.unit_at(parse.words[*w].token).filter(|g| accept(g)) {
                return Some((with_conjuncts(ctx, parse, *w, g), path.clone()));
            }
        }
        // A prepositional modifier ("situasi di Taiwan", "kunjungan ke
        // Ankara") is not what its head stands for.
        let plain = |d: &usize| {
            !parse
                .dependents(*d)
                .any(|c| parse.words[c].universal_deprel() == "case")
        };
        let mut next = Vec::new();
        for (w, path) in frontier {
            for rel in &ctx.lex.tree.step_over {
                for d in parse
                    .dependents(w)
                    .filter(|&d| parse.words[d].deprel == *rel)
                    .filter(plain)
                {
                    next.push((d, format!("{path} > {rel}")));
                }
            }
        }
        frontier = next;
    }
    None
}

/// `group` grown by the units of word `w`'s conjuncts ("Russia and China").
fn with_conjuncts(ctx: &Ctx<'_>, parse: &Parse, w: usize, mut group: Group) -> Group {
    let conj = |d: &usize| parse.words[*d].universal_deprel() == "conj";
    let mut todo: Vec<usize> = parse.dependents(w).filter(conj).collect();
    while let Some(c) = todo.pop() {
        if let Some(u) = ctx.unit_at(parse.words[c].token) {
            if crate::relations::units::reports_after(&ctx.folded, ctx.lex, u.last) {
                // "met X and Y, the state news agency reported": a speaker.
                continue;
            }
            group.take_in(u.first, u.last, &u.entities);
        }
        todo.extend(parse.dependents(c).filter(conj));
    }
    group
}

/// Does the sentence name an actor and at least one other entity?
fn two_candidates(ctx: &Ctx<'_>) -> bool {
    let seen = distinct_entities(ctx.units.iter());
    seen.len() >= 2 && seen.iter().any(|&e| is_actor(ctx, e))
}

/// Can the tree give this trigger an event at all, going by where the
/// sentence's entities stand? In these SVO languages the agent of an active
/// verb (its `nsubj`, or the subject it inherits) stands before it; a
/// nominal's agent is its possessor (before it in English, after it in
/// Indonesian: "kunjungan Jokowi") or the subject of the verb it is the
/// object of (before it); a passive's patient stands before it and its agent
/// after. The other side (`obj`, an `obl` or `nmod` with a preposition)
/// follows the trigger and is of a type the rule takes. With no object,
/// only a reciprocal rule gives an event, pairing two agents ("A and B
/// met"). Parsing costs more than the
/// rest of extraction, so a sentence whose entities cannot fill the roles
/// is not parsed for this trigger.
fn roles_can_stand(ctx: &Ctx<'_>, trig: &TriggerAt<'_>) -> bool {
    let actor = |u: &&Unit| u.entities.iter().any(|&e| is_actor(ctx, e));
    let object = |u: &&Unit| u.entities.iter().any(|&e| object_allowed(ctx, trig, e));
    let before: Vec<&Unit> = ctx.units.iter().filter(|u| u.last < trig.t0).collect();
    let after: Vec<&Unit> = ctx.units.iter().filter(|u| u.first >= trig.t1).collect();
    // Two actors (in one unit, as "the leaders" can be, or in several).
    let pairs = |units: &[&Unit]| {
        trig.rule.reciprocal
            && crate::relations::is_symmetric(&trig.rule.relation)
            && distinct_actors(ctx, units) >= 2
    };
    // The agent before the trigger, the other side after it.
    let agent_first = || before.iter().any(actor) && (after.iter().any(object) || pairs(&before));
    match trig.voice {
        Voice::Passive => !before.is_empty() && after.iter().any(actor),
        Voice::Active => agent_first(),
        Voice::Nominal => {
            // Or an Indonesian possessor, then the object after it.
            let possessor = || {
                after
                    .iter()
                    .position(actor)
                    .filter(|_| ctx.lex.language == Language::Id)
            };
            agent_first()
                || possessor().is_some_and(|p| after[p + 1..].iter().any(object) || pairs(&after))
        }
    }
}

fn distinct_actors(ctx: &Ctx<'_>, units: &[&Unit]) -> usize {
    distinct_entities(units.iter().copied())
        .into_iter()
        .filter(|&e| is_actor(ctx, e))
        .count()
}

/// The entities of `units`, each once, in order.
fn distinct_entities<'u>(units: impl Iterator<Item = &'u Unit>) -> Vec<usize> {
    let mut seen: Vec<usize> = Vec::new();
    for &e in units.flat_map(|u| &u.entities) {
        if !seen.contains(&e) {
            seen.push(e);
        }
    }
    seen
}

/// A group with at least one actor (a subject's test).
fn has_actor(ctx: &Ctx<'_>, g: &Group) -> bool {
    g.entities.iter().any(|&e| is_actor(ctx, e))
}

fn is_actor(ctx: &Ctx<'_>, e: usize) -> bool {
    ctx.doc.entities[e].entity_type.is_actor()
}

fn same_entities(a: &Group, b: &Group) -> bool {
    a.entities.iter().any(|e| b.entities.contains(e))
}
