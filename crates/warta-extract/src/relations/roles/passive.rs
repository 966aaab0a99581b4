//! A passive trigger ("Y dikecam oleh X", "Y was vetoed by X"): the roles
//! swap, the agent follows "oleh"/"by" and the patient is the group to the
//! left.

use super::{Objects, TriggerAt};
use crate::relations::context::Ctx;
use crate::relations::units::Group;

/// The agent (the subject of the relation) and, unless the rule looks for
/// its object after a keyword, the patient (its object).
pub(super) fn agent_and_patient<'a>(
    ctx: &'a Ctx<'_>,
    trig: &TriggerAt<'_>,
) -> (Option<&'a Group>, Option<Objects>) {
    let n = ctx.toks.len();
    let agent = ctx
        .prep_group(trig.t1, &ctx.lex.words.passive_agent, 6, n)
        .map(|(g, _)| g);
    let patient = if trig.rule.object_after.is_empty() {
        ctx.left_subject(trig.t0, 0)
            .filter(|g| !g.entities.is_empty())
            .map(|g| Objects {
                entities: g.entities.clone(),
                span: Some((g.first, g.last)),
                carried: false,
            })
    } else {
        None
    };
    (agent, patient)
}
