//! Mentions stage: finds the spans of text that name (or refer to) entities.
//!
//! Sources, in order of precedence (an earlier source wins overlapping spans):
//! 1. titled persons ("Presiden Rusia Vladimir Putin", "North Korean leader
//!    Kim Jong Un", "Vladimir Putin, the president of Russia"), which also
//!    carry the role (position and owner) the title gives;
//! 2. gazetteer names and demonyms (longest match over folded text);
//! 3. capitalised names not in the gazetteer, typed by their head words
//!    ("Kementerian", "Ministry", "Party", "Airport") or their context
//!    ("Melansir Euronews"), with sentence-initial and headline capitals held
//!    back so they do not become false entities;
//! 4. acronyms defined in parentheses ("Majelis Rakyat Tertinggi (SPA)");
//! 5. definite descriptions ("negara tersebut", "the ministry") and pronouns.
//!
//! Resolution to entities (and coreference) is the next stage's job.

use crate::model::{EntityType, Language};
use crate::ontology::{gazetteer::FormKind, lexicon::TitleRule, Lexicon, Ontology};
pub use crate::text::Sentence;
use crate::text::{fold, with_lowercase, SegmentKind, Token, TokenKind};

/// The role a title gives a person.
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    pub position: String,
    /// Span of the owner's mention (a country or body), if named.
    pub owner: Option<(usize, usize)>,
    /// The country a country-specific title implies (a QID).
    pub implied: Option<String>,
    /// Start of the whole titled phrase (for evidence).
    pub phrase_start: usize,
    pub phrase_end: usize,
}

/// Where a mention came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// Gazetteer entries (more than one: a declared ambiguous alias).
    Gazetteer {
        entries: std::sync::Arc<[usize]>,
        demonym: bool,
    },
    /// A capitalised name not in the gazetteer, with its guessed type.
    Name { guess: EntityType },
    /// A definite description (index into the lexicon's descriptions).
    Description { rule: usize },
    /// A pronoun; `plural` for "keduanya", "they".
    Pronoun { plural: bool },
    /// A lone capitalised word not in the gazetteer: kept only if it is a
    /// short form of a person named earlier ("Kim", "Suga").
    Bare,
    /// An acronym or short name defined in parentheses after the mention
    /// whose span is given.
    Alias { of: (usize, usize) },
    /// A title with its country but no name ("Presiden AS", "the US
    /// president", "Menlu RI"): the office, whose holder on the article's
    /// date the next stage looks up in the terms of office. The mention
    /// spans the title words; the role's phrase spans the owner too.
    Office,
}

/// A span that names or refers to an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct RawMention {
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub source: Source,
    pub role: Option<Role>,
}

/// Finds mentions in all sentences of a document.
pub fn find_mentions(
    text: &str,
    sentences: &[Sentence],
    ont: &Ontology,
    lang: Language,
) -> Vec<RawMention> {
    let lex = ont.lexicon(lang);
    let mut all = Vec::with_capacity(sentences.len() * 4);
    for (si, s) in sentences.iter().enumerate() {
        if s.segment.kind == SegmentKind::Boilerplate {
            continue;
        }
        let mut found = sentence_mentions(text, si, s, ont, lex, lang);
        all.append(&mut found);
    }
    all.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    all
}

fn word<'a>(text: &'a str, t: &Token) -> &'a str {
    t.text(text)
}

/// Index of the token starting at byte `pos` (tokens are in text order).
fn token_at(tokens: &[Token], pos: usize) -> Option<usize> {
    tokens.binary_search_by_key(&pos, |t| t.start).ok()
}

/// Index of the token ending at byte `pos`.
fn token_ending(tokens: &[Token], pos: usize) -> Option<usize> {
    tokens.binary_search_by_key(&pos, |t| t.end).ok()
}

/// Matches a multi-word phrase (exact case) starting at token `i`; returns
/// the index after the phrase.
pub fn match_phrase(text: &str, tokens: &[Token], i: usize, phrase: &str) -> Option<usize> {
    let mut j = i;
    for w in phrase.split_whitespace() {
        let t = tokens.get(j)?;
        if word(text, t) != w {
            return None;
        }
        j += 1;
    }
    Some(j)
}

/// Like [`match_phrase`] but case-insensitive and diacritic-insensitive.
pub fn match_folded(text: &str, tokens: &[Token], i: usize, phrase: &str) -> Option<usize> {
    let mut j = i;
    for w in fold(phrase).split(' ') {
        let t = tokens.get(j)?;
        if fold(word(text, t)) != w {
            return None;
        }
        j += 1;
    }
    Some(j)
}

/// The tokens of a sentence that mentions, or titled phrases, already take.
/// Every mention spans whole tokens, so "does this span overlap a mention"
/// is a lookup by token rather than a scan of the mentions.
struct Taken(Vec<u8>);

impl Taken {
    /// A token of a mention.
    const MENTION: u8 = 1;
    /// A token of a titled phrase ("Presiden Rusia Vladimir Putin").
    const PHRASE: u8 = 2;

    fn new(tokens: &[Token]) -> Taken {
        Taken(vec![0; tokens.len()])
    }

    /// The tokens that overlap the byte span `start..end`.
    fn tokens(tokens: &[Token], start: usize, end: usize) -> std::ops::Range<usize> {
        let first = tokens.partition_point(|t| t.end <= start);
        let after = tokens.partition_point(|t| t.start < end);
        first..after.max(first)
    }

    /// Does a mention take any token of `start..end`?
    fn any(&self, tokens: &[Token], start: usize, end: usize) -> bool {
        self.0
            .get(Taken::tokens(tokens, start, end))
            .is_some_and(|r| r.iter().any(|&t| t & Taken::MENTION != 0))
    }

    fn mark(&mut self, tokens: &[Token], start: usize, end: usize, what: u8) {
        if let Some(r) = self.0.get_mut(Taken::tokens(tokens, start, end)) {
            r.iter_mut().for_each(|t| *t |= what);
        }
    }

    /// Is token `i` taken by a mention or a titled phrase?
    fn at(&self, i: usize) -> bool {
        self.0.get(i).is_some_and(|&t| t != 0)
    }

    fn mention_at(&self, i: usize) -> bool {
        self.0.get(i).is_some_and(|&t| t & Taken::MENTION != 0)
    }
}

fn sentence_mentions(
    text: &str,
    si: usize,
    s: &Sentence,
    ont: &Ontology,
    lex: &Lexicon,
    lang: Language,
) -> Vec<RawMention> {
    let toks = &s.tokens;
    let is_title = s.segment.kind == SegmentKind::Title;
    let gaz = &ont.gazetteer;
    let w = |i: usize| toks.get(i).map_or("", |t| word(text, t));
    let in_list = |i: usize, set: &rustc_hash::FxHashSet<String>| {
        let x = w(i);
        !x.is_empty() && set.contains(x)
    };

    // 2. Gazetteer names (computed first: titles refer to them as owners).
    let mut gaz_mentions: Vec<RawMention> = gaz
        .find(text, s.segment.start, s.segment.end, lang)
        .iter()
        .map(|m| RawMention {
            start: m.start,
            end: m.end,
            sentence: si,
            source: Source::Gazetteer {
                entries: std::sync::Arc::clone(&m.entries),
                demonym: m.kind == FormKind::Demonym,
            },
            role: None,
        })
        .collect();
    // Matches must align with tokens (not cut a word in two).
    gaz_mentions
        .retain(|m| token_at(toks, m.start).is_some() && token_ending(toks, m.end).is_some());
    // A person's surname alone after another capitalised name word is
    // someone else of that family ("Hunter Biden", "Akie Abe"), unless that
    // word opens the sentence ("Kata Putin, ...") or is a known name itself.
    // (Matches do not overlap, so their ends are in order too.)
    let ends: Vec<usize> = gaz_mentions.iter().map(|m| m.end).collect();
    gaz_mentions.retain(|m| {
        let Source::Gazetteer {
            entries,
            demonym: false,
        } = &m.source
        else {
            return true;
        };
        let person = entries
            .first()
            .is_some_and(|&e| gaz.entry(e).entity_type == EntityType::Person);
        let Some(k) = token_at(toks, m.start).filter(|&k| token_ending(toks, m.end) == Some(k))
        else {
            return true;
        };
        let other_name_before = k >= 2
            && toks.get(k - 1).is_some_and(|p| {
                is_name_token(text, p, lex)
                    && !lex.sets.not_names.contains(word(text, p))
                    && !lex.sets.honorifics.contains(word(text, p))
                    && ends.binary_search(&p.end).is_err()
            });
        !(person && other_name_before)
    });
    // "Jawa Barat", "Asia Timur": a compass word after a place names another region.
    for m in gaz_mentions.iter_mut() {
        let Some(k) = token_ending(toks, m.end) else {
            continue;
        };
        let is_person = matches!(&m.source, Source::Gazetteer { entries, .. } if entries.first().is_some_and(|&e| gaz.entry(e).entity_type == EntityType::Person));
        if !is_person
            && !matches!(m.source, Source::Gazetteer { demonym: true, .. })
            && in_list(k + 1, &lex.sets.compass)
        {
            if let Some(t) = toks.get(k + 1) {
                m.end = t.end;
                m.source = Source::Name {
                    guess: EntityType::Place,
                };
            }
        }
    }
    // In text order: found by bisection.
    let gaz_at = |pos: usize| {
        gaz_mentions
            .binary_search_by_key(&pos, |m| m.start)
            .ok()
            .and_then(|k| gaz_mentions.get(k))
    };
    let gaz_type = |m: &RawMention| match &m.source {
        Source::Gazetteer { entries, .. } => entries.first().map(|&e| gaz.entry(e).entity_type),
        _ => None,
    };
    let is_country_like = |m: &RawMention| {
        matches!(
            gaz_type(m),
            Some(
                EntityType::Country
                    | EntityType::Organization
                    | EntityType::City
                    | EntityType::GovernmentBody
            )
        )
    };
    let is_person_gaz = |m: &RawMention| {
        matches!(m.source, Source::Gazetteer { demonym: false, .. })
            && gaz_type(m) == Some(EntityType::Person)
    };

    // 1. Titled persons.
    let mut titled: Vec<RawMention> = Vec::new();
    let mut blocked: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some((title_end, title)) = longest_title(text, toks, i, lex) else {
            i += 1;
            continue;
        };
        let mut phrase_start = toks[i].start;
        let mut j = title_end;
        // The title's short form in parentheses: "Menteri Luar Negeri (Menlu) Rusia".
        if w(j) == "(" {
            if let Some((short_end, _)) = longest_title(text, toks, j + 1, lex) {
                if w(short_end) == ")" {
                    j = short_end + 1;
                }
            }
        }
        let mut owner: Option<(usize, usize)> = None;
        // Owner before the title: "Russian President", "North Korean leader",
        // "China's foreign minister", "US President" (English only: an
        // Indonesian owner follows its title).
        if i > 0 {
            let poss = matches!(w(i - 1), "'s" | "\u{2019}s");
            let owner_end_tok = if poss { i.checked_sub(2) } else { Some(i - 1) };
            if let Some(k) = owner_end_tok {
                let end = toks[k].end;
                if let Some(m) = gaz_mentions
                    .iter()
                    .find(|m| m.end == end && is_country_like(m))
                {
                    let demonym = matches!(m.source, Source::Gazetteer { demonym: true, .. });
                    // "US President"; an organisation or body before its
                    // officers' titles: "UN Secretary-General", "Kremlin
                    // spokesman".
                    let attributive = lang == Language::En
                        && (gaz_type(m) == Some(EntityType::Country)
                            || matches!(
                                gaz_type(m),
                                Some(EntityType::Organization | EntityType::GovernmentBody)
                            ) && matches!(
                                title.position.as_str(),
                                "leader" | "spokesperson" | "ambassador"
                            ));
                    if poss || demonym || attributive {
                        owner = Some((m.start, m.end));
                        phrase_start = m.start;
                    }
                }
            }
        }
        // Owner after the title: "Presiden Rusia", "Menteri Luar Negeri Korea Utara", "President of Russia".
        if owner.is_none() {
            // "President of Russia", "Secretary-General of the United Nations".
            let of = match (w(j), w(j + 1)) {
                ("of", "the") => j + 2,
                ("of", _) => j + 1,
                _ => j,
            };
            if let Some(m) = toks
                .get(of)
                .and_then(|t| gaz_at(t.start))
                .filter(|m| is_country_like(m))
            {
                owner = Some((m.start, m.end));
                j = token_ending(toks, m.end).map_or(j, |k| k + 1);
                // The owner's short form in parentheses: "Presiden Amerika
                // Serikat (AS) Joe Biden".
                if w(j) == "("
                    && w(j + 2) == ")"
                    && toks.get(j + 1).is_some_and(|t| gaz_at(t.start).is_some())
                {
                    j += 3;
                }
            } else if let Some(t) = toks
                .get(j)
                .filter(|t| lex.sets.body_heads.contains(word(text, t)))
            {
                // A body as owner: "Kuasa Usaha Ad Interim KBRI Tokyo",
                // "Juru bicara Kementerian Luar Negeri AS".
                let body_start = t.start;
                let mut k = j + 1;
                while toks
                    .get(k)
                    .is_some_and(|t2| lex.sets.portfolio.contains(word(text, t2)))
                {
                    k += 1;
                }
                if let Some(m) = toks.get(k).and_then(|t2| gaz_at(t2.start)) {
                    k = token_ending(toks, m.end).map_or(k, |e| e + 1);
                } else if k == j + 1 && toks.get(k).is_some_and(|t2| t2.is_capitalised(text)) {
                    k += 1;
                }
                if let Some(last) = toks.get(k.saturating_sub(1)) {
                    owner = Some((body_start, last.end));
                    titled.push(RawMention {
                        start: body_start,
                        end: last.end,
                        sentence: si,
                        source: Source::Name {
                            guess: EntityType::GovernmentBody,
                        },
                        role: None,
                    });
                }
                j = k;
            }
        }
        // Portfolio words ("Koordinator Bidang Perekonomian", "Sekretaris Negara").
        while toks
            .get(j)
            .is_some_and(|t| lex.sets.portfolio.contains(word(text, t)))
            && toks.get(j + 1).is_some_and(|t| t.is_capitalised(text))
        {
            j += 1;
        }
        // The name after a comma, once the title has its owner: "Juru bicara
        // Kementerian Luar Negeri AS, Ned Price, mengatakan ...".
        if owner.is_some() && w(j) == "," {
            let person_next = toks
                .get(j + 1)
                .and_then(|t| gaz_at(t.start))
                .is_some_and(&is_person_gaz);
            let two_name_words = (j + 1..j + 3).all(|k| {
                toks.get(k)
                    .is_some_and(|t| is_name_token(text, t, lex) && gaz_at(t.start).is_none())
            });
            if person_next || two_name_words {
                j += 1;
            }
        }
        // A plural title ("para pemimpin KTT ASEAN", "the two leaders") names
        // no one person.
        let plural_before = i > 0
            && ["para", "kedua", "both", "two"]
                .iter()
                .any(|p| p.eq_ignore_ascii_case(w(i - 1)));
        // The name: a gazetteer person, or capitalised tokens (initials allowed: "Antony J. Blinken").
        let name = if plural_before {
            None
        } else if let Some((name_start, m)) = toks.get(j).and_then(|t| {
            // A gazetteer person at the name, or one whose alias spans the
            // title too ("Presiden Putin"): the name is the part after it.
            gaz_at(t.start)
                .or_else(|| {
                    gaz_mentions
                        .iter()
                        .find(|m| m.start < t.start && t.start < m.end)
                })
                .filter(|m| is_person_gaz(m))
                .map(|m| (t.start, m))
        }) {
            Some((name_start, m.end, m.source.clone()))
        } else {
            let mut k = j;
            let max = if is_title { 3 } else { 4 };
            let mut words = 0;
            while k < toks.len() && words < max {
                let t = &toks[k];
                if gaz_at(t.start).is_some_and(|m| !is_person_gaz(m)) {
                    break;
                }
                let initial = word(text, t).chars().count() == 1
                    && w(k + 1) == "."
                    && toks.get(k + 2).is_some_and(|n| is_name_token(text, n, lex));
                if initial {
                    k += 2;
                    continue;
                }
                if !is_name_token(text, t, lex)
                    || in_list(k, &lex.sets.not_names)
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
        };
        if let Some((ns, ne, source)) = name {
            blocked.push((phrase_start, ne));
            titled.push(RawMention {
                start: ns,
                end: ne,
                sentence: si,
                source,
                role: Some(Role {
                    position: title.position.clone(),
                    owner,
                    implied: title.country.clone(),
                    phrase_start,
                    phrase_end: ne,
                }),
            });
            i = token_ending(toks, ne).map_or(j + 1, |k| k + 1);
            continue;
        }
        // No name after the title: "X terpilih menjadi Presiden Rusia" gives X the role.
        let titled_before = titled.len();
        if owner.is_some() {
            let mut k = i;
            while k > 0
                && (in_list(k - 1, &lex.sets.copulas)
                    || matches!(
                        w(k - 1),
                        "terpilih"
                            | "elected"
                            | "appointed"
                            | "diangkat"
                            | "dilantik"
                            | "the"
                            | "a"
                    ))
            {
                k -= 1;
            }
            if k < i && k > 0 {
                if let Some(m) = gaz_mentions
                    .iter()
                    .find(|m| m.end == toks[k - 1].end && is_person_gaz(m))
                {
                    let end = toks[j.saturating_sub(1)].end;
                    titled.push(RawMention {
                        role: Some(Role {
                            position: title.position.clone(),
                            owner,
                            implied: title.country.clone(),
                            phrase_start: m.start,
                            phrase_end: end,
                        }),
                        ..m.clone()
                    });
                }
            }
        }
        // Else the office itself ("Presiden AS", "the US president"), when
        // its country is known; not for a title inside a longer capitalised
        // name or a plural ("para menteri luar negeri").
        let phrase_end = toks[j.saturating_sub(1).max(i)].end;
        if titled.len() == titled_before
            && (owner.is_some() || title.country.is_some())
            && !plural_before
            && !toks.get(j).is_some_and(|t| is_name_token(text, t, lex))
        {
            titled.push(RawMention {
                start: toks[i].start,
                end: toks[title_end - 1].end,
                sentence: si,
                source: Source::Office,
                role: Some(Role {
                    position: title.position.clone(),
                    owner,
                    implied: title.country.clone(),
                    phrase_start,
                    phrase_end,
                }),
            });
        }
        blocked.push((phrase_start, phrase_end));
        i = title_end.max(i + 1);
    }
    // Apposition: "Vladimir Putin, the president of Russia,".
    for m in gaz_mentions.iter().filter(|m| is_person_gaz(m)) {
        let Some(k) = token_ending(toks, m.end) else {
            continue;
        };
        if w(k + 1) != "," {
            continue;
        }
        let mut j = k + 2;
        if matches!(w(j), "the" | "a") {
            j += 1;
        }
        if let Some((te, title)) = longest_title(text, toks, j, lex) {
            if w(te) == "of" {
                if let Some(o) = toks
                    .get(te + 1)
                    .and_then(|t| gaz_at(t.start))
                    .filter(|o| is_country_like(o))
                {
                    if !titled.iter().any(|t| t.start == m.start) {
                        blocked.push((m.start, o.end));
                        titled.push(RawMention {
                            role: Some(Role {
                                position: title.position.clone(),
                                owner: Some((o.start, o.end)),
                                implied: title.country.clone(),
                                phrase_start: m.start,
                                phrase_end: o.end,
                            }),
                            ..m.clone()
                        });
                    }
                }
            }
        }
    }
    let mut out: Vec<RawMention> = Vec::with_capacity(titled.len() + gaz_mentions.len() + 4);
    let mut taken = Taken::new(toks);
    for m in titled.into_iter().chain(gaz_mentions.iter().cloned()) {
        if !taken.any(toks, m.start, m.end) {
            taken.mark(toks, m.start, m.end, Taken::MENTION);
            out.push(m);
        }
    }
    // Tokens of titled phrases: no other name starts inside them.
    for &(a, b) in &blocked {
        taken.mark(toks, a, b, Taken::PHRASE);
    }

    // 3. Capitalised names not in the gazetteer, typed by their head words.
    let covered = |taken: &Taken, k: usize| taken.at(k);
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        if covered(&taken, i) || !is_name_token(text, t, lex) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut swallowed: Vec<(usize, usize)> = Vec::new();
        while let Some(n) = toks.get(j) {
            if covered(&taken, j) {
                // A gazetteer name inside a longer name: "Kementerian Luar Negeri
                // Korea Utara" (owner after a head), "South China Sea" (a head after it).
                let g = out.iter().find(|g| {
                    g.start == n.start
                        && matches!(g.source, Source::Gazetteer { demonym: false, .. })
                        && !is_person_gaz(g)
                });
                if let Some(g) = g {
                    let after = token_ending(toks, g.end).map_or(j + 1, |e| e + 1);
                    let head_before = toks[i..j].iter().any(|x| {
                        is_head(text, x, &lex.sets.body_heads)
                            || is_head(text, x, &lex.sets.org_heads)
                    });
                    let head_after = toks.get(after).is_some_and(|x| {
                        is_head(text, x, &lex.sets.place_heads)
                            || is_head(text, x, &lex.sets.org_heads)
                            || is_head(text, x, &lex.sets.body_heads)
                    });
                    if head_before || head_after {
                        swallowed.push((g.start, g.end));
                        j = after;
                        continue;
                    }
                }
                break;
            }
            if is_name_token(text, n, lex) {
                j += 1;
                continue;
            }
            let nw = word(text, n);
            // "Workers' Party of Korea", "Ministry of Foreign Affairs"
            let connector = nw == "of" || lex.sets.name_particles.contains(nw);
            let apostrophe = matches!(nw, "'" | "\u{2019}")
                && toks
                    .get(j - 1)
                    .is_some_and(|p| word(text, p).ends_with('s'));
            if (connector || apostrophe) && toks.get(j + 1).is_some_and(|x| x.is_capitalised(text))
            {
                j += 1;
                continue;
            }
            break;
        }
        let mut start_i = i;
        // Sentence-initial and other common capitalised words are not names,
        // but a head word opening a longer name stays ("Kementerian Luar Negeri ...").
        while start_i < j
            && (lex.sets.not_names.contains(word(text, &toks[start_i]))
                || !toks[start_i].is_capitalised(text))
            && !(j - start_i >= 2
                && (is_head(text, &toks[start_i], &lex.sets.body_heads)
                    || is_head(text, &toks[start_i], &lex.sets.org_heads)))
        {
            start_i += 1;
        }
        let mut end_i = j;
        while end_i > start_i
            && !toks[end_i - 1].is_capitalised(text)
            && toks[end_i - 1].kind != TokenKind::Number
        {
            end_i -= 1;
        }
        if start_i >= end_i {
            i = j.max(i + 1);
            continue;
        }
        // "Pyongyang International Airport": a place right before a head-named span joins it.
        let mut first_start = toks[start_i].start;
        let span_toks = &toks[start_i..end_i];
        let guess = guess_type(text, toks, start_i, span_toks, lex);
        if matches!(
            guess,
            Some(EntityType::Place | EntityType::Organization | EntityType::GovernmentBody)
        ) && start_i > 0
        {
            if let Some(g) = out.iter().find(|g| {
                g.end == toks[start_i - 1].end
                    && matches!(
                        gaz_type(g),
                        Some(EntityType::City | EntityType::Country | EntityType::Place)
                    )
            }) {
                if start_i == i {
                    first_start = g.start;
                    swallowed.push((g.start, g.end));
                }
            }
        }
        let honorific = start_i > 0
            && (in_list(start_i - 1, &lex.sets.honorifics)
                || (w(start_i - 1) == "."
                    && start_i > 1
                    && in_list(start_i - 2, &lex.sets.honorifics)));
        // "di Nusa Dua, Indonesia", "in Sochi, Russia": a name after a
        // locative preposition and before ", <country or city>" is a place.
        let place_before_its_country = start_i > 0
            && lex.words.location_preps.iter().any(|p| p == w(start_i - 1))
            && w(end_i) == ","
            && toks.get(end_i + 1).is_some_and(|c| {
                out.iter().any(|g| {
                    g.start == c.start
                        && matches!(
                            gaz_type(g),
                            Some(EntityType::Country | EntityType::City | EntityType::Place)
                        )
                })
            });
        let guess = if honorific {
            Some(EntityType::Person)
        } else if place_before_its_country && !matches!(guess, Some(EntityType::Media)) {
            Some(EntityType::Place)
        } else {
            guess
        };
        let n_words = span_toks.iter().filter(|t| t.is_capitalised(text)).count();
        let keep = match guess {
            // Unknown persons need a title (above) or an honorific.
            Some(EntityType::Person) => honorific && (1..=4).contains(&n_words),
            Some(_) => !is_title || n_words >= 2,
            None => false,
        };
        let last_end = toks[end_i - 1].end;
        if let (true, Some(g)) = (keep, guess) {
            // Keep an owner at the end of the name as its own mention
            // ("Kementerian Luar Negeri Korea Utara" also names Korea Utara);
            // drop names swallowed elsewhere ("South China Sea" is not China).
            // (Their tokens stay taken: the new name spans them.)
            out.retain(|m| !(swallowed.contains(&(m.start, m.end)) && m.end != last_end));
            taken.mark(toks, first_start, last_end, Taken::MENTION);
            out.push(RawMention {
                start: first_start,
                end: last_end,
                sentence: si,
                source: Source::Name { guess: g },
                role: None,
            });
        } else if n_words == 1 && start_i > 0 && !is_title && span_toks.len() == 1 {
            // A lone capitalised word: a possible short form ("Kim", "Suga").
            if let Some(t) = span_toks.first() {
                if t.kind == TokenKind::Word && word(text, t).chars().count() > 2 {
                    taken.mark(toks, t.start, t.end, Taken::MENTION);
                    out.push(RawMention {
                        start: t.start,
                        end: t.end,
                        sentence: si,
                        source: Source::Bare,
                        role: None,
                    });
                }
            }
        }
        i = j.max(i + 1);
    }

    // 4. Acronyms and short names defined in parentheses: "X (SPA)", "Joko Widodo (Jokowi)".
    let mut aliases = Vec::new();
    for m in &out {
        let Some(k) = token_ending(toks, m.end) else {
            continue;
        };
        if w(k + 1) != "(" {
            continue;
        }
        let Some(inner) = toks.get(k + 2) else {
            continue;
        };
        if w(k + 3) == ")" && inner.is_capitalised(text) && !taken.mention_at(k + 2) {
            aliases.push(RawMention {
                start: inner.start,
                end: inner.end,
                sentence: si,
                source: Source::Alias {
                    of: (m.start, m.end),
                },
                role: None,
            });
        }
    }
    for a in &aliases {
        taken.mark(toks, a.start, a.end, Taken::MENTION);
    }
    out.extend(aliases);

    // 5. Descriptions and pronouns.
    for (ti, t) in toks.iter().enumerate() {
        if covered(&taken, ti) {
            continue;
        }
        let mut best: Option<(usize, usize)> = None;
        for (words, ri) in lex.description_index.get(word(text, t)) {
            let matched = words
                .iter()
                .enumerate()
                .all(|(k, w)| toks.get(ti + k).is_some_and(|x| word(text, x) == w));
            if matched && best.is_none_or(|(be, _)| ti + words.len() > be) {
                best = Some((ti + words.len(), *ri));
            }
        }
        if let Some((e, ri)) = best {
            let end = toks[e - 1].end;
            if !taken.any(toks, t.start, end) {
                taken.mark(toks, t.start, end, Taken::MENTION);
                out.push(RawMention {
                    start: t.start,
                    end,
                    sentence: si,
                    source: Source::Description { rule: ri },
                    role: None,
                });
            }
            continue;
        }
        // The pronoun lists are a handful of words: comparing beats hashing.
        let tw = word(text, t);
        let is_one_of = |list: &[String]| list.iter().any(|p| p.eq_ignore_ascii_case(tw));
        let (single, plural) = (
            is_one_of(&lex.words.pronouns),
            is_one_of(&lex.words.plural_pronouns),
        );
        if single {
            out.push(RawMention {
                start: t.start,
                end: t.end,
                sentence: si,
                source: Source::Pronoun { plural: false },
                role: None,
            });
        } else if plural {
            out.push(RawMention {
                start: t.start,
                end: t.end,
                sentence: si,
                source: Source::Pronoun { plural: true },
                role: None,
            });
        }
    }
    out.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    out
}

/// The longest title starting at token `i`: (index after it, its rule).
fn longest_title<'l>(
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

fn is_head(text: &str, t: &Token, heads: &rustc_hash::FxHashSet<String>) -> bool {
    heads.contains(word(text, t))
}

/// A token that can be part of a name: capitalised word (not all-lowercase),
/// or an all-caps acronym; not a title word.
fn is_name_token(text: &str, t: &Token, lex: &Lexicon) -> bool {
    if t.kind != TokenKind::Word || !t.is_capitalised(text) {
        return false;
    }
    let w = word(text, t);
    // Most name tokens are not function words: look up the lowercase form
    // only for short words (function words are short).
    if w.len() > 12 {
        return !lex.title_words.contains(w);
    }
    // A title word is not part of a name ("Presiden" before a name), nor is a
    // function word capitalised by a headline ("Untuk", "Dengan", "Of").
    !lex.title_words.contains(w) && !with_lowercase(w, |l| lex.function_words.contains(l))
}

/// Guesses the type of an unknown capitalised name from its head words and
/// the word before it. `None`: probably not a name.
fn guess_type(
    text: &str,
    toks: &[Token],
    start: usize,
    span: &[Token],
    lex: &Lexicon,
) -> Option<EntityType> {
    let has = |heads: &rustc_hash::FxHashSet<String>| span.iter().any(|t| is_head(text, t, heads));
    let prev = start
        .checked_sub(1)
        .and_then(|k| toks.get(k))
        .map(|t| word(text, t));
    let prev2 = start
        .checked_sub(2)
        .and_then(|k| toks.get(k))
        .map(|t| word(text, t));
    if has(&lex.sets.body_heads) {
        // "Istana Kepresidenan Bogor" is a place although "Istana" names the seat.
        if has(&lex.sets.place_heads)
            && !span.first().is_some_and(|t| {
                is_head(text, t, &lex.sets.body_heads) && !is_head(text, t, &lex.sets.place_heads)
            })
        {
            return Some(EntityType::Place);
        }
        return Some(EntityType::GovernmentBody);
    }
    if has(&lex.sets.org_heads) {
        return Some(EntityType::Organization);
    }
    if has(&lex.sets.place_heads) {
        return Some(EntityType::Place);
    }
    let cue = |w: Option<&str>| w.is_some_and(|w| lex.sets.media_cues.contains(w));
    // "Melansir Euronews", "according to X"; "Rodong Sinmun, the official newspaper".
    let after = start + span.len();
    let cue_after = toks.get(after).is_some_and(|t| word(text, t) == ",")
        && (after + 1..(after + 5).min(toks.len())).any(|k| cue(Some(word(text, &toks[k]))));
    if cue(prev) || (prev == Some(",") && cue(prev2)) || cue_after {
        return Some(EntityType::Media);
    }
    // All-caps acronyms alone are organisations when unknown.
    if span.len() == 1 {
        let w = span.first().map_or("", |t| word(text, t));
        if w.len() >= 2 && w.chars().all(|c| c.is_uppercase() || c.is_ascii_digit()) {
            return None;
        }
        return None;
    }
    if span.iter().any(|t| t.kind == TokenKind::Number) {
        return None;
    }
    Some(EntityType::Person)
}
