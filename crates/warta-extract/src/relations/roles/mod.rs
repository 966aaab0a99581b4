//! Role filling: the subject and object of one trigger, by clause structure.
//!
//! The steps, in order: settle the voice (an English past participle after
//! "was"/"were" is passive), check the words a rule requires nearby, then
//! find the subject the way the voice puts it ([`active`], [`passive`],
//! [`nominal`]; a weapons test has its own shape, [`weapon`]), then the
//! object ([`object`]), and last keep only the entities the rule allows.
//! Each step that fails says why, for `warta explain`.

mod active;
mod nominal;
mod object;
mod passive;
mod tree;
mod weapon;

use super::context::Ctx;
use super::units::Group;
use crate::model::{EntityType, Language};
use crate::ontology::{TriggerRule, Voice};
use crate::text::TokenKind;

/// Roles found for one trigger.
pub(super) struct Filled {
    pub(super) subjects: Vec<usize>,
    pub(super) objects: Vec<String>,
    /// Token span of the evidence.
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) indirect: bool,
    /// Object found in an earlier sentence.
    pub(super) carried: bool,
}

/// One form of a rule found at tokens `t0..t1`.
#[derive(Clone, Copy)]
pub(super) struct TriggerAt<'r> {
    pub(super) rule: &'r TriggerRule,
    pub(super) voice: Voice,
    pub(super) t0: usize,
    pub(super) t1: usize,
}

/// An object_after target ("sanksi terhadap X") seen in sentence `0`: the
/// entities, and the keywords of the rule that found it.
pub(super) type RecentTarget<'l> = (usize, Vec<usize>, &'l [String]);

/// What role filling remembers between triggers.
pub(super) struct RoleMemory<'a, 'l> {
    /// The sentence being read.
    pub(super) sentence: usize,
    /// Targets of object_after keywords in this and the previous sentences,
    /// for a trigger whose keyword came earlier.
    pub(super) recent_targets: &'a [RecentTarget<'l>],
    /// The last active trigger of the sentence and its subject: coordinated
    /// verbs share it.
    pub(super) last_subject: &'a mut Option<(usize, Group)>,
}

/// An object found before the object step: by a passive's left walk.
pub(super) struct Objects {
    pub(super) entities: Vec<usize>,
    /// Token span of the object group, when there is one.
    pub(super) span: Option<(usize, usize)>,
    /// Carried over from an earlier sentence.
    pub(super) carried: bool,
}

/// Why the surface walk found no role; only these send a trigger to the tree.
const NO_SUBJECT: &str = "no subject: no entity group before the trigger in its clause (or after 'oleh'/'by' for a passive)";
const NO_OBJECT: &str = "no object: no entity right after the trigger or after its prepositions";
const NO_OBJECT_AFTER: &str =
    "no object after the rule's keyword (object_after) in this or the two previous sentences";
const MISSING_ROLE: [&str; 3] = [NO_SUBJECT, NO_OBJECT, NO_OBJECT_AFTER];

/// Fills the roles of one trigger, or says why it cannot: by the surface
/// walk, else (for a rule with `tree_roles`) off the dependency tree, with
/// the tree paths that gave the roles.
pub(super) fn fill_roles(
    ctx: &Ctx<'_>,
    found: TriggerAt<'_>,
    lang: Language,
    memory: RoleMemory<'_, '_>,
) -> Result<(Vec<Filled>, Option<String>), &'static str> {
    let trig = TriggerAt {
        voice: settled_voice(ctx, found, lang),
        ..found
    };
    check_required_near(ctx, &trig)?;
    if !trig.rule.weapons.is_empty() {
        return weapon::fill(ctx, &trig).map(|f| (f, None));
    }
    match surface_roles(ctx, &trig, memory) {
        Ok(f) => Ok((f, None)),
        // The surface reason stays the one shown: it is the rule's own.
        // Only a missing role sends a trigger to the tree: a wrong type or
        // an object that is the subject is a reading the tree would share.
        Err(why) if trig.rule.tree_roles && MISSING_ROLE.contains(&why) => tree::fill(ctx, &trig)
            .map(|(f, path)| (f, Some(path)))
            .map_err(|_| why),
        Err(why) => Err(why),
    }
}

/// The roles by clause structure read from the words around the trigger.
fn surface_roles(
    ctx: &Ctx<'_>,
    trig: &TriggerAt<'_>,
    memory: RoleMemory<'_, '_>,
) -> Result<Vec<Filled>, &'static str> {
    let trig = *trig;
    let (subject, mut objects) = match trig.voice {
        Voice::Active => (active::subject(ctx, &trig, &*memory.last_subject), None),
        Voice::Passive => passive::agent_and_patient(ctx, &trig),
        Voice::Nominal => match nominal::subject(ctx, &trig) {
            nominal::Subject::Pairs(filled) => return Ok(filled),
            nominal::Subject::Group(g) => (g, None),
        },
    };
    let Some(subj) = subject else {
        return Err(NO_SUBJECT);
    };
    let subj: Group = subj.clone();
    if trig.voice == Voice::Active {
        *memory.last_subject = Some((trig.t0, subj.clone()));
    }
    if objects.is_none() {
        objects = object::find(ctx, &trig, &subj, memory.sentence, memory.recent_targets);
    }
    let objects = match objects {
        Some(o) => o,
        None => return symmetric_pairs(ctx, &trig, &subj),
    };
    filled(ctx, &trig, &subj, objects)
}

/// English passive: "was vetoed by", "were condemned" (a participle after an
/// auxiliary, adverbs between).
fn settled_voice(ctx: &Ctx<'_>, trig: TriggerAt<'_>, lang: Language) -> Voice {
    if lang != Language::En || trig.voice != Voice::Active {
        return trig.voice;
    }
    let t0 = trig.t0;
    let w: &str = &ctx.folded[t0];
    let participle =
        w.ends_with("ed") || matches!(w, "met" | "held" | "struck" | "hit" | "fought" | "signed");
    let mut k = t0;
    while k > 0
        && (ctx.folded[k - 1].ends_with("ly")
            || matches!(&*ctx.folded[k - 1], "not" | "also" | "then" | "later"))
    {
        k -= 1;
    }
    if participle && k > 0 && ctx.is(k - 1, &ctx.lex.words.passive_aux) {
        Voice::Passive
    } else {
        trig.voice
    }
}

/// A rule with `requires_near` fires only with one of its words within 8
/// words of the trigger.
fn check_required_near(ctx: &Ctx<'_>, trig: &TriggerAt<'_>) -> Result<(), &'static str> {
    let rule = trig.rule;
    if rule.requires_near.is_empty() {
        return Ok(());
    }
    let lo = trig.t0.saturating_sub(8);
    let hi = (trig.t1 + 8).min(ctx.toks.len());
    if (lo..hi).any(|k| ctx.is(k, &rule.requires_near)) {
        Ok(())
    } else {
        Err("a required word (requires_near) is not within 8 words")
    }
}

/// No object: a symmetric relation whose subject group has two or more
/// members relates every pair of them ("Indonesia dan Jepang bertemu").
fn symmetric_pairs(
    ctx: &Ctx<'_>,
    trig: &TriggerAt<'_>,
    subj: &Group,
) -> Result<Vec<Filled>, &'static str> {
    let rule = trig.rule;
    let symmetric = subj.entities.len() >= 2
        && rule.reciprocal
        && crate::relations::is_symmetric(&rule.relation);
    if symmetric {
        return Ok(pairs_among(
            ctx,
            &subj.entities,
            subj.first.min(trig.t0),
            subj.last.max(trig.t1 - 1),
            subj.indirect,
        ));
    }
    Err(if rule.object_after.is_empty() {
        NO_OBJECT
    } else {
        NO_OBJECT_AFTER
    })
}

/// The roles, once subject and object are found: objects of the types the
/// rule allows (actors by default), subjects that are actors.
fn filled(
    ctx: &Ctx<'_>,
    trig: &TriggerAt<'_>,
    subj: &Group,
    objects: Objects,
) -> Result<Vec<Filled>, &'static str> {
    let kept: Vec<usize> = objects
        .entities
        .iter()
        .copied()
        .filter(|&e| object_allowed(ctx, trig, e))
        .collect();
    if kept.is_empty() {
        return Err("the object's type is not allowed by the rule (object_types)");
    }
    let subjects = actors(ctx, subj);
    if subjects.is_empty() {
        return Err("the subject is not an actor");
    }
    let (of, ol) = objects.span.unwrap_or((trig.t0, trig.t1 - 1));
    Ok(vec![Filled {
        subjects,
        objects: kept
            .iter()
            .map(|&e| ctx.doc.entities[e].id.clone())
            .collect(),
        first: subj.first.min(trig.t0).min(of),
        last: subj.last.max(trig.t1 - 1).max(ol),
        indirect: subj.indirect,
        carried: objects.carried,
    }])
}

/// Is entity `e` of a type the trigger's rule takes as object (actors
/// unless the rule says `object_types`)?
fn object_allowed(ctx: &Ctx<'_>, trig: &TriggerAt<'_>, e: usize) -> bool {
    let t = ctx.doc.entities[e].entity_type;
    let types = &trig.rule.object_types;
    if types.is_empty() {
        t.is_actor()
    } else {
        types.iter().any(|o| EntityType::parse(o) == Some(t))
    }
}

/// The members of a group that are actors (people, states, organisations).
fn actors(ctx: &Ctx<'_>, g: &Group) -> Vec<usize> {
    g.entities
        .iter()
        .copied()
        .filter(|&e| ctx.doc.entities[e].entity_type.is_actor())
        .collect()
}

/// Members of a group related to each other ("kerja sama Indonesia dan Jepang").
fn pairs(
    ctx: &Ctx<'_>,
    a: &[usize],
    b: &[usize],
    first: usize,
    last: usize,
    indirect: bool,
) -> Vec<Filled> {
    let objects = b.iter().map(|&e| ctx.doc.entities[e].id.clone()).collect();
    vec![Filled {
        subjects: a.to_vec(),
        objects,
        first,
        last,
        indirect,
        carried: false,
    }]
}

/// Every pair of a group's members related to each other: "A, B and C
/// met", "talks between A, B and C".
fn pairs_among(
    ctx: &Ctx<'_>,
    members: &[usize],
    first: usize,
    last: usize,
    indirect: bool,
) -> Vec<Filled> {
    (0..members.len().saturating_sub(1))
        .flat_map(|i| {
            pairs(
                ctx,
                &members[i..=i],
                &members[i + 1..],
                first,
                last,
                indirect,
            )
        })
        .collect()
}

/// "China's foreign ministry condemned", "Russia's invasion of Ukraine".
fn possessive_before<'a>(ctx: &'a Ctx<'_>, t0: usize) -> Option<&'a Group> {
    let is_poss = |p: usize| ctx.is_possessive(p);
    let mut p = t0.checked_sub(1)?;
    // One modifier between: "North Korea's missile test", "China's military support".
    if !is_poss(p) {
        let modifier = ctx.toks[p].kind == TokenKind::Word
            && !ctx.toks[p].is_capitalised(ctx.text)
            && !ctx.is_prep(p)
            && !ctx.is_break(p)
            && !ctx.lex.function_words.contains(&*ctx.folded[p]);
        p = p.checked_sub(1).filter(|_| modifier)?;
        if !is_poss(p) {
            return None;
        }
    }
    let owner = p.checked_sub(1)?;
    // "the Bangladesh government's criticism": the group before a common
    // noun that owns the trigger.
    let common_noun = |k: usize| {
        ctx.toks[k].kind == TokenKind::Word
            && !ctx.toks[k].is_capitalised(ctx.text)
            && !ctx.lex.function_words.contains(&*ctx.folded[k])
    };
    ctx.group_at(owner).or_else(|| {
        let before = owner.checked_sub(1).filter(|_| common_noun(owner))?;
        ctx.group_at(before).filter(|g| g.last == before)
    })
}

/// "Russian invasion", "North Korean missile launch".
fn demonym_before<'a>(ctx: &'a Ctx<'_>, t0: usize) -> Option<&'a Group> {
    (t0.saturating_sub(3)..t0)
        .rev()
        .find_map(|k| ctx.group_at(k).filter(|g| g.demonym && g.last + 3 >= t0))
}
