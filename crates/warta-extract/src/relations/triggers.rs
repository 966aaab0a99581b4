//! Trigger lookup: the lexicon's trigger forms in a sentence, and which
//! voice (verb or noun) a form that can be both has here.

use super::context::Ctx;
use crate::ontology::lexicon::TriggerForm;
use crate::ontology::{Lexicon, Voice};
use crate::text::TokenKind;

/// Joins folded words with spaces into a reused buffer (a lexicon key).
fn join_key<'b>(words: &[std::borrow::Cow<'_, str>], buf: &'b mut String) -> &'b str {
    buf.clear();
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            buf.push(' ');
        }
        buf.push_str(w);
    }
    buf.as_str()
}

/// The sentence's trigger forms, left to right: (first token, length in
/// tokens, forms). The longest form wins; forms never overlap a mention.
pub(super) fn find_triggers<'l>(ctx: &Ctx<'l>) -> Vec<(usize, usize, &'l Vec<TriggerForm>)> {
    let lex: &'l Lexicon = ctx.lex;
    let n = ctx.toks.len();
    let mut out = Vec::new();
    let mut key_buf = String::new();
    let mut i = 0;
    while i < n {
        let mut found = None;
        // Only a word that starts a multi-word form needs the longer lookups.
        let longest = if lex.multi_word_starts.contains(&*ctx.folded[i]) {
            lex.max_form_words.min(n - i)
        } else {
            1
        };
        for len in (1..=longest).rev() {
            if (i..i + len).any(|k| ctx.unit_of[k].is_some()) {
                continue;
            }
            let key = if len == 1 {
                &*ctx.folded[i]
            } else {
                join_key(&ctx.folded[i..i + len], &mut key_buf)
            };
            if let Some(forms) = lex.forms.get(key) {
                found = Some((len, forms));
                break;
            }
        }
        match found {
            Some((len, forms)) => {
                out.push((i, len, forms));
                i += len;
            }
            None => i += 1,
        }
    }
    out
}

/// A form that is both a verb and a noun ("visit", "support", "attack")
/// is a noun after a determiner or possessive, a verb otherwise; a form
/// that is only a verb is none after an article.
pub(super) fn choose_voices<'f>(
    ctx: &Ctx<'_>,
    i: usize,
    forms: &'f [TriggerForm],
) -> Vec<&'f TriggerForm> {
    let determiner = |p: usize| {
        matches!(
            &*ctx.folded[p],
            "the"
                | "a"
                | "an"
                | "its"
                | "his"
                | "her"
                | "their"
                | "our"
                | "this"
                | "that"
                | "'s"
                | "first"
                | "official"
                | "state"
        ) || ctx.group_at(p).is_some_and(|g| g.demonym)
    };
    // "the visit", "its unwavering support": a determiner right before, or
    // before one lowercase modifier.
    // "after talks with", "hours of talks": a preposition before a form
    // that is not a gerund ("after meeting Xi" is one).
    let after_prep = |p: usize| {
        ctx.is_prep(p)
            && !matches!(&*ctx.folded[p], "to" | "by" | "untuk")
            && !ctx.folded[i].ends_with("ing")
    };
    let nominal_context = i.checked_sub(1).is_some_and(|p| {
        determiner(p)
            || after_prep(p)
            || (p > 0
                && ctx.toks[p].kind == TokenKind::Word
                && !ctx.toks[p].is_capitalised(ctx.text)
                && !ctx.is_prep(p)
                && !ctx.is_break(p)
                && !ctx.lex.function_words.contains(&*ctx.folded[p])
                && !matches!(
                    &*ctx.folded[p],
                    "to" | "will"
                        | "would"
                        | "can"
                        | "could"
                        | "may"
                        | "not"
                        | "also"
                        | "did"
                        | "does"
                        | "do"
                )
                && (determiner(p - 1)
                    || (p > 1 && ctx.toks[p - 1].kind == TokenKind::Punct && determiner(p - 2))))
    });
    let article_before = i
        .checked_sub(1)
        .is_some_and(|p| matches!(&*ctx.folded[p], "the" | "a" | "an"));
    // "warned Washington against supporting X": what one warns or
    // protests against is not done.
    let opposed = ctx.folded[i].ends_with("ing")
        && i.checked_sub(1)
            .is_some_and(|p| matches!(&*ctx.folded[p], "against"));
    if opposed {
        return Vec::new();
    }
    forms
        .iter()
        .filter(|f| {
            let both = forms.iter().any(|o| {
                o.rule == f.rule
                    && o.voice != f.voice
                    && matches!(o.voice, Voice::Active | Voice::Nominal)
            });
            if both {
                (f.voice == Voice::Nominal) == nominal_context
            } else {
                // No verb follows an article: "a press release" presses no one.
                !(article_before && f.voice == Voice::Active)
            }
        })
        .collect()
}
