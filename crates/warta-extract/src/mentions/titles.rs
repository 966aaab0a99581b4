//! Recognizer: titled persons and offices.
//!
//! A title from the lexicon ("Presiden", "Menteri Luar Negeri", "foreign
//! minister") grows into a phrase, step by step: its short form in
//! parentheses, the owner before it (English: "Russian President", "China's
//! foreign minister") or after it ("Presiden Rusia", "President of Russia",
//! a body: "Juru bicara Kementerian Luar Negeri AS"), portfolio words, and
//! then the name. With no name, the role goes to a person the title is
//! predicated of ("X terpilih menjadi Presiden Rusia"), or the phrase names
//! the office itself ("Presiden AS"). Appositions ("Vladimir Putin, the
//! president of Russia,") are the same role after the name.

use super::gazetteer::GazMentions;
use super::{token_ending, word, RawMention, Role, Scan, Source};
use crate::model::{EntityType, Language};
use crate::ontology::lexicon::TitleRule;
use crate::ontology::Lexicon;
use crate::text::Token;

/// What the titles of a sentence give.
pub(super) struct Titled {
    /// Titled persons, offices, and bodies that own a title.
    pub(super) mentions: Vec<RawMention>,
    /// Byte spans of the titled phrases: no other name starts inside them.
    pub(super) blocked: Vec<(usize, usize)>,
}

/// A title's phrase as it grows: where it starts, the token after it so
/// far, and its owner's span once found.
struct Phrase {
    start: usize,
    next: usize,
    owner: Option<(usize, usize)>,
}

/// A title found at token `at`, ending before token `end`.
struct TitleAt<'l> {
    at: usize,
    end: usize,
    rule: &'l TitleRule,
}

impl TitleAt<'_> {
    fn role(&self, owner: Option<(usize, usize)>, phrase_start: usize, phrase_end: usize) -> Role {
        Role {
            position: self.rule.position.clone(),
            owner,
            implied: self.rule.country.clone(),
            phrase_start,
            phrase_end,
        }
    }
}

/// The titled mentions of the sentence, then its appositions.
pub(super) fn recognize(scan: &Scan<'_>, gaz: &GazMentions) -> Titled {
    let toks = scan.toks;
    let mut titled = Titled {
        mentions: Vec::new(),
        blocked: Vec::new(),
    };
    let mut i = 0;
    while i < toks.len() {
        let Some((end, rule)) = longest_title(scan.text, toks, i, scan.lex) else {
            i += 1;
            continue;
        };
        i = one_title(scan, gaz, TitleAt { at: i, end, rule }, &mut titled);
    }
    appositions(scan, gaz, &mut titled);
    titled
}

/// Grows the phrase of one title and records what it names; returns the
/// token to go on from.
fn one_title(scan: &Scan<'_>, gaz: &GazMentions, title: TitleAt<'_>, out: &mut Titled) -> usize {
    let (toks, i) = (scan.toks, title.at);
    let mut p = Phrase {
        // English portfolio words before the title are in the phrase
        // ("Defence Minister Richard Marles").
        start: toks[portfolio_start(scan, i)].start,
        next: skip_short_form(scan, title.end),
        owner: None,
    };
    let to = title.rule.owner_after_to;
    owner_before(scan, gaz, &title, &mut p);
    if p.owner.is_none() {
        owner_after(scan, gaz, &mut p, to, &mut out.mentions);
    }
    skip_portfolio(scan, &mut p);
    // An Indonesian owner may follow the portfolio: "Menteri Pertahanan
    // Australia".
    if p.owner.is_none() && scan.lang == Language::Id {
        owner_after(scan, gaz, &mut p, to, &mut out.mentions);
    }
    skip_posting(scan, gaz, &mut p);
    second_title(scan, gaz, &mut p, &mut out.mentions);
    skip_comma_before_name(scan, gaz, &mut p);
    // A plural title ("para pemimpin KTT ASEAN", "the two leaders") names
    // no one person.
    let plural_before = i > 0
        && ["para", "kedua", "both", "two"]
            .iter()
            .any(|w| w.eq_ignore_ascii_case(scan.w(i - 1)));
    let j = p.next;
    let name = if plural_before {
        None
    } else {
        name_after(scan, gaz, j)
    };
    if let Some((ns, ne, source)) = name {
        out.blocked.push((p.start, ne));
        out.mentions.push(RawMention {
            start: ns,
            end: ne,
            sentence: scan.si,
            source,
            role: Some(title.role(p.owner, p.start, ne)),
        });
        return token_ending(toks, ne).map_or(j + 1, |k| k + 1);
    }
    let titled_before = out.mentions.len();
    if p.owner.is_some() {
        role_of_predicated_person(scan, gaz, &title, &p, &mut out.mentions);
    }
    // Else the office itself ("Presiden AS", "the US president"), when
    // its country is known; not for a title inside a longer capitalised
    // name or a plural ("para menteri luar negeri").
    let phrase_end = toks[j.saturating_sub(1).max(i)].end;
    if out.mentions.len() == titled_before
        && (p.owner.is_some() || title.rule.country.is_some())
        && !plural_before
        && !toks.get(j).is_some_and(|t| scan.is_name_token(t))
    {
        out.mentions.push(RawMention {
            start: toks[i].start,
            end: toks[title.end - 1].end,
            sentence: scan.si,
            source: Source::Office,
            role: Some(title.role(p.owner, p.start, phrase_end)),
        });
    }
    out.blocked.push((p.start, phrase_end));
    title.end.max(i + 1)
}

/// The title's short form in parentheses: "Menteri Luar Negeri (Menlu) Rusia".
fn skip_short_form(scan: &Scan<'_>, j: usize) -> usize {
    if scan.w(j) == "(" {
        if let Some((short_end, _)) = longest_title(scan.text, scan.toks, j + 1, scan.lex) {
            if scan.w(short_end) == ")" {
                return short_end + 1;
            }
        }
    }
    j
}

/// Owner before the title: "Russian President", "North Korean leader",
/// "China's foreign minister", "US President" (English only: an
/// Indonesian owner follows its title).
fn owner_before(scan: &Scan<'_>, gaz: &GazMentions, title: &TitleAt<'_>, p: &mut Phrase) {
    let i = portfolio_start(scan, title.at);
    if i == 0 {
        return;
    }
    let poss = matches!(scan.w(i - 1), "'s" | "\u{2019}s");
    let owner_end_tok = if poss { i.checked_sub(2) } else { Some(i - 1) };
    let Some(k) = owner_end_tok else {
        return;
    };
    let end = scan.toks[k].end;
    let Some(m) = gaz.iter().find(|m| m.end == end && scan.is_country_like(m)) else {
        return;
    };
    let demonym = matches!(m.source, Source::Gazetteer { demonym: true, .. });
    // "US President"; an organisation or body before its
    // officers' titles: "UN Secretary-General", "Kremlin
    // spokesman".
    let attributive = scan.lang == Language::En
        && (scan.gaz_type(m) == Some(EntityType::Country)
            || matches!(
                scan.gaz_type(m),
                Some(EntityType::Organization | EntityType::GovernmentBody)
            ) && matches!(
                title.rule.position.as_str(),
                "leader" | "spokesperson" | "ambassador" | "other"
            ));
    if poss || demonym || attributive {
        p.owner = Some((m.start, m.end));
        p.start = m.start;
    }
}

/// The first of the English portfolio words right before a title: the
/// owner of "Pakistan's Information Minister" stands before "Information".
fn portfolio_start(scan: &Scan<'_>, at: usize) -> usize {
    if scan.lang != Language::En {
        return at;
    }
    let portfolio = &scan.lex.sets.portfolio;
    let mut i = at;
    while i > 0 {
        let w = scan.w(i - 1);
        let capital = capitalised_initial(w);
        if !(portfolio.contains(w) || portfolio.contains(capital.as_str())) {
            break;
        }
        i -= 1;
    }
    i
}

/// `w` with its first letter in uppercase ("defence" -> "Defence").
fn capitalised_initial(w: &str) -> String {
    let mut chars = w.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Owner after the title: "Presiden Rusia", "Menteri Luar Negeri Korea
/// Utara", "President of Russia", "Secretary-General of the United Nations"
/// ("adviser to the ...", when `to`); or a body ("Kuasa Usaha Ad Interim
/// KBRI Tokyo"), which is a mention too.
fn owner_after(
    scan: &Scan<'_>,
    gaz: &GazMentions,
    p: &mut Phrase,
    to: bool,
    mentions: &mut Vec<RawMention>,
) {
    let (toks, j) = (scan.toks, p.next);
    let prep = scan.w(j) == "of" || to && scan.w(j) == "to";
    let of = match (prep, scan.w(j + 1)) {
        (true, "the") => j + 2,
        (true, _) => j + 1,
        _ => j,
    };
    if let Some(m) = toks
        .get(of)
        .and_then(|t| gaz.at(t.start))
        .filter(|m| scan.is_country_like(m))
    {
        p.owner = Some((m.start, m.end));
        p.next = token_ending(toks, m.end).map_or(j, |k| k + 1);
        // The owner's short form in parentheses: "Presiden Amerika
        // Serikat (AS) Joe Biden".
        let j = p.next;
        if scan.w(j) == "("
            && scan.w(j + 2) == ")"
            && toks.get(j + 1).is_some_and(|t| gaz.at(t.start).is_some())
        {
            p.next = j + 3;
        }
    } else if toks
        .get(j)
        .is_some_and(|t| scan.lex.sets.body_heads.contains(word(scan.text, t)))
    {
        body_owner(scan, gaz, p, mentions);
    }
}

/// A body as owner: "Kuasa Usaha Ad Interim KBRI Tokyo", "Juru bicara
/// Kementerian Luar Negeri AS": the head, its portfolio words, and a
/// gazetteer name or one capitalised word.
fn body_owner(scan: &Scan<'_>, gaz: &GazMentions, p: &mut Phrase, mentions: &mut Vec<RawMention>) {
    let (text, toks, j) = (scan.text, scan.toks, p.next);
    let body_start = toks[j].start;
    let mut k = j + 1;
    while toks
        .get(k)
        .is_some_and(|t2| scan.lex.sets.portfolio.contains(word(text, t2)))
    {
        k += 1;
    }
    if let Some(m) = toks.get(k).and_then(|t2| gaz.at(t2.start)) {
        k = token_ending(toks, m.end).map_or(k, |e| e + 1);
    } else if k == j + 1 && toks.get(k).is_some_and(|t2| t2.is_capitalised(text)) {
        k += 1;
    }
    if let Some(last) = toks.get(k.saturating_sub(1)) {
        p.owner = Some((body_start, last.end));
        mentions.push(scan.mention(
            body_start,
            last.end,
            Source::Name {
                guess: EntityType::GovernmentBody,
            },
        ));
    }
    p.next = k;
}

/// Portfolio words ("Koordinator Bidang Perekonomian", "Sekretaris Negara").
fn skip_portfolio(scan: &Scan<'_>, p: &mut Phrase) {
    let (text, toks) = (scan.text, scan.toks);
    let portfolio = |k: usize| {
        toks.get(k)
            .is_some_and(|t| scan.lex.sets.portfolio.contains(word(text, t)))
    };
    let sep = |k: usize| matches!(scan.w(k), "," | "dan" | "and" | "&");
    while portfolio(p.next) {
        let n = p.next;
        // A second office may follow: "Menteri Investasi sekaligus CEO".
        let second = matches!(scan.w(n + 1), "sekaligus" | "merangkap");
        if second || toks.get(n + 1).is_some_and(|t| t.is_capitalised(text)) {
            p.next += 1;
        } else if sep(n + 1) && portfolio(n + 2) {
            // A list of portfolios: "Menteri Investasi, Perdagangan, dan
            // Industri", "Minister of Trade and Industry".
            p.next += 2;
        } else if scan.w(n + 1) == "," && sep(n + 2) && portfolio(n + 3) {
            p.next += 3;
        } else {
            break;
        }
    }
}

/// A second office held at once ("Putra Mahkota sekaligus Perdana Menteri
/// Arab Saudi, Pangeran Mohammed bin Salman", "Menteri Investasi sekaligus
/// CEO Danantara"): the phrase runs on through it, and its owner is the
/// owner when the first title had none.
fn second_title(
    scan: &Scan<'_>,
    gaz: &GazMentions,
    p: &mut Phrase,
    mentions: &mut Vec<RawMention>,
) {
    if !matches!(scan.w(p.next), "sekaligus" | "merangkap") {
        return;
    }
    let Some((end, rule)) = longest_title(scan.text, scan.toks, p.next + 1, scan.lex) else {
        return;
    };
    let owner = p.owner.take();
    p.next = end;
    let to = rule.owner_after_to;
    owner_after(scan, gaz, p, to, mentions);
    skip_portfolio(scan, p);
    if p.owner.is_none() {
        owner_after(scan, gaz, p, to, mentions);
    }
    p.owner = p.owner.or(owner);
}

/// An envoy's posting between the owned title and the name: "Duta Besar
/// Jepang untuk China, Kenji Kanasugi", "Konsul Jenderal China di Osaka,
/// Xue Jian", "ambassador to Japan". The place stays a mention of its own.
fn skip_posting(scan: &Scan<'_>, gaz: &GazMentions, p: &mut Phrase) {
    if p.owner.is_none() || !matches!(scan.w(p.next), "untuk" | "di" | "to" | "in") {
        return;
    }
    let toks = scan.toks;
    let Some(m) = toks
        .get(p.next + 1)
        .and_then(|t| gaz.at(t.start))
        .filter(|m| scan.is_country_like(m) || scan.gaz_type(m) == Some(EntityType::City))
    else {
        return;
    };
    let after = token_ending(toks, m.end).map_or(p.next, |k| k + 1);
    // Only when a name follows (maybe after a comma): "ambassador to Japan
    // said" keeps its usual reading.
    let name_at = if scan.w(after) == "," {
        after + 1
    } else {
        after
    };
    if toks.get(name_at).is_some_and(|t| scan.is_name_token(t)) {
        p.next = name_at;
    }
}

/// The name after a comma, once the title has its owner: "Juru bicara
/// Kementerian Luar Negeri AS, Ned Price, mengatakan ...".
fn skip_comma_before_name(scan: &Scan<'_>, gaz: &GazMentions, p: &mut Phrase) {
    let j = p.next;
    if p.owner.is_none() || scan.w(j) != "," {
        return;
    }
    let toks = scan.toks;
    // An honorific may stand between the comma and the name ("Pangeran").
    let n = past_honorific(scan, j + 1);
    let person_next = toks
        .get(n)
        .and_then(|t| gaz.at(t.start))
        .is_some_and(|m| scan.is_person_gaz(m));
    let name_word = |k: usize| {
        toks.get(k)
            .is_some_and(|t| scan.is_name_token(t) && gaz.at(t.start).is_none())
    };
    // "Abdullah bin Zayed": a patronymic particle may stand second.
    let particle = |k: usize| {
        toks.get(k)
            .is_some_and(|t| scan.lex.sets.name_particles.contains(word(scan.text, t)))
    };
    let two_name_words = name_word(n) && (name_word(n + 1) || particle(n + 1) && name_word(n + 2));
    if person_next || two_name_words {
        p.next += 1;
        // A second title after the comma is part of the phrase, not the
        // name: "Pakistan's army chief, Field Marshal Asim Munir".
        if let Some((end, _)) = longest_title(scan.text, toks, p.next, scan.lex) {
            if toks.get(end).is_some_and(|t| scan.is_name_token(t)) {
                p.next = end;
            }
        }
    }
}

/// The name at token `j`: a gazetteer person, or capitalised tokens
/// (initials allowed: "Antony J. Blinken"). (start, end, source).
fn name_after(scan: &Scan<'_>, gaz: &GazMentions, j: usize) -> Option<(usize, usize, Source)> {
    let toks = scan.toks;
    // An honorific between title and name is neither: "Menteri Agama Prof.
    // Nasaruddin Umar", "Foreign Minister Dr. Retno".
    let j = past_honorific(scan, j);
    // A gazetteer person at the name, or one whose alias spans the
    // title too ("Presiden Putin"): the name is the part after it.
    let known = toks.get(j).and_then(|t| {
        gaz.at(t.start)
            .or_else(|| gaz.iter().find(|m| m.start < t.start && t.start < m.end))
            .filter(|m| scan.is_person_gaz(m))
            .map(|m| (t.start, m))
    });
    if let Some((name_start, m)) = known {
        return Some((name_start, m.end, m.source.clone()));
    }
    // In a title-case headline every word is capitalised: after a title
    // only a known person is a name ("Presiden China Puji Redanya
    // Ketegangan" praises; nobody is called that). The body names them.
    if scan.is_title {
        return None;
    }
    capitalised_name(scan, gaz, j)
}

/// The token after an honorific (and its period) at `j`, else `j`.
fn past_honorific(scan: &Scan<'_>, j: usize) -> usize {
    if scan.lex.sets.honorifics.contains(scan.w(j)) {
        j + 1 + usize::from(scan.w(j + 1) == ".")
    } else {
        j
    }
}

/// Up to 4 capitalised tokens from `j` (3 in a headline), stopping at a
/// gazetteer name that is not a person.
fn capitalised_name(
    scan: &Scan<'_>,
    gaz: &GazMentions,
    j: usize,
) -> Option<(usize, usize, Source)> {
    let (text, toks, lex) = (scan.text, scan.toks, scan.lex);
    let mut k = j;
    let mut max = if scan.is_title { 3 } else { 4 };
    let mut words = 0;
    while k < toks.len() && words < max {
        let t = &toks[k];
        if gaz.at(t.start).is_some_and(|m| !scan.is_person_gaz(m)) {
            break;
        }
        let initial = word(text, t).chars().count() == 1
            && scan.w(k + 1) == "."
            && toks.get(k + 2).is_some_and(|n| scan.is_name_token(n));
        if initial {
            k += 2;
            continue;
        }
        // A patronymic joins the name: "Saifuddin Nasution bin Ismail",
        // "Fadhlina binti Sidek" (up to four more words after it).
        let particle = words > 0
            && lex.sets.name_particles.contains(word(text, t))
            && toks.get(k + 1).is_some_and(|n| scan.is_name_token(n));
        if particle {
            k += 1;
            max = words + 4;
            continue;
        }
        if !scan.is_name_token(t)
            || scan.in_list(k, &lex.sets.not_names)
                && k == j
                && words == 0
                && k + 1 < toks.len()
                && !toks[k + 1].is_capitalised(text)
        {
            break;
        }
        k += 1;
        words += 1;
    }
    (words > 0).then(|| {
        (
            toks[j].start,
            toks[k - 1].end,
            Source::Name {
                guess: EntityType::Person,
            },
        )
    })
}

/// No name after the title: "X terpilih menjadi Presiden Rusia" gives X the
/// role (a gazetteer person before copulas and "elected"/"appointed").
fn role_of_predicated_person(
    scan: &Scan<'_>,
    gaz: &GazMentions,
    title: &TitleAt<'_>,
    p: &Phrase,
    mentions: &mut Vec<RawMention>,
) {
    let (toks, i) = (scan.toks, title.at);
    let mut k = i;
    while k > 0
        && (scan.in_list(k - 1, &scan.lex.sets.copulas)
            || matches!(
                scan.w(k - 1),
                "terpilih" | "elected" | "appointed" | "diangkat" | "dilantik" | "the" | "a"
            ))
    {
        k -= 1;
    }
    if k < i && k > 0 {
        if let Some(m) = gaz
            .iter()
            .find(|m| m.end == toks[k - 1].end && scan.is_person_gaz(m))
        {
            let end = toks[p.next.saturating_sub(1)].end;
            mentions.push(RawMention {
                role: Some(title.role(p.owner, m.start, end)),
                ..m.clone()
            });
        }
    }
}

/// Apposition: "Vladimir Putin, the president of Russia,".
fn appositions(scan: &Scan<'_>, gaz: &GazMentions, titled: &mut Titled) {
    let (toks, lex) = (scan.toks, scan.lex);
    for m in gaz.iter().filter(|m| scan.is_person_gaz(m)) {
        let Some(k) = token_ending(toks, m.end) else {
            continue;
        };
        if scan.w(k + 1) != "," {
            continue;
        }
        let mut j = k + 2;
        if matches!(scan.w(j), "the" | "a") {
            j += 1;
        }
        let Some((te, rule)) = longest_title(scan.text, toks, j, lex) else {
            continue;
        };
        if scan.w(te) != "of" {
            continue;
        }
        let Some(o) = toks
            .get(te + 1)
            .and_then(|t| gaz.at(t.start))
            .filter(|o| scan.is_country_like(o))
        else {
            continue;
        };
        if !titled.mentions.iter().any(|t| t.start == m.start) {
            titled.blocked.push((m.start, o.end));
            let title = TitleAt {
                at: j,
                end: te,
                rule,
            };
            titled.mentions.push(RawMention {
                role: Some(title.role(Some((o.start, o.end)), m.start, o.end)),
                ..m.clone()
            });
        }
    }
}

/// The longest title starting at token `i`: (index after it, its rule).
pub(super) fn longest_title<'l>(
    text: &str,
    toks: &[Token],
    i: usize,
    lex: &'l Lexicon,
) -> Option<(usize, &'l TitleRule)> {
    let first = toks.get(i)?.text(text);
    // (end, rule) of the longest title whose first word is written `first_as`.
    let longest = |first_as: &str| {
        let mut best: Option<(usize, usize)> = None;
        for (words, rule) in lex.title_index.get(first_as) {
            let matched = words
                .iter()
                .enumerate()
                .all(|(k, w)| k == 0 || toks.get(i + k).is_some_and(|t| t.text(text) == w));
            if matched && best.is_none_or(|(be, _)| i + words.len() > be) {
                best = Some((i + words.len(), *rule));
            }
        }
        best
    };
    // A lowercase title capitalised at the start of a sentence: "Juru
    // bicara Kementerian ...".
    let (end, rule) = longest(first).or_else(|| {
        first
            .starts_with(|c: char| c.is_ascii_uppercase())
            .then(|| with_lowercase_initial(first, longest))
            .flatten()
    })?;
    Some((end, lex.titles.get(rule)?))
}

/// Calls `f` with `w`'s first (ASCII) letter in lowercase, without
/// allocating for short words.
fn with_lowercase_initial<R>(w: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 24];
    if let Some(b) = buf.get_mut(..w.len()) {
        b.copy_from_slice(w.as_bytes());
        b[0].make_ascii_lowercase();
        if let Ok(lowered) = std::str::from_utf8(b) {
            return f(lowered);
        }
    }
    let mut owned = w.to_string();
    if let Some(b) = owned.get_mut(..1) {
        b.make_ascii_lowercase();
    }
    f(&owned)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::mention;
    use super::*;

    fn role(text: &str, lang: Language, words: &str) -> Role {
        mention(text, lang, words)
            .and_then(|m| m.role)
            .unwrap_or_else(|| panic!("{words:?} has a role in {text:?}"))
    }

    #[test]
    fn a_title_with_its_owner_after_gives_the_name_a_role() {
        let t = "Presiden Rusia Vladimir Putin tiba di Beijing.";
        let r = role(t, Language::Id, "Vladimir Putin");
        assert_eq!(r.position, "head_of_state");
        let (a, b) = r.owner.expect("an owner");
        assert_eq!(&t[a..b], "Rusia");
        assert_eq!(
            &t[r.phrase_start..r.phrase_end],
            "Presiden Rusia Vladimir Putin"
        );
    }

    #[test]
    fn an_english_owner_comes_before_its_title() {
        let t = "North Korean leader Kim Jong Un visited Moscow.";
        let r = role(t, Language::En, "Kim Jong Un");
        let (a, b) = r.owner.expect("an owner");
        assert_eq!(&t[a..b], "North Korean");
    }

    #[test]
    fn a_body_owns_the_title_and_is_a_mention_too() {
        let t = "Juru bicara Kementerian Luar Negeri AS, Ned Price, mengatakan hal itu.";
        let r = role(t, Language::Id, "Ned Price");
        let (a, b) = r.owner.expect("an owner");
        assert_eq!(&t[a..b], "Kementerian Luar Negeri AS");
        let body = mention(t, Language::Id, "Kementerian Luar Negeri AS").expect("the body");
        assert_eq!(
            body.source,
            Source::Name {
                guess: EntityType::GovernmentBody
            }
        );
    }

    #[test]
    fn a_title_without_a_name_names_the_office() {
        let t = "Presiden AS akan datang ke Jakarta.";
        let m = mention(t, Language::Id, "Presiden").expect("the office");
        assert_eq!(m.source, Source::Office);
    }

    #[test]
    fn an_apposition_gives_the_role_after_the_name() {
        let t = "Vladimir Putin, the president of Russia, arrived.";
        let r = role(t, Language::En, "Vladimir Putin");
        let (a, b) = r.owner.expect("an owner");
        assert_eq!(&t[a..b], "Russia");
    }
}
