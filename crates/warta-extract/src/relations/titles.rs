//! `holdsPosition` from titles: a titled mention ("Menteri Luar Negeri
//! Retno Marsudi") says its person holds the office, of the owner the title
//! names, or failing that an owner the article or the gazetteer gives.

use crate::entities::{DocEntities, Resolved};
use crate::model::{EntityType, Language, Modality, Polarity, Relation};
use crate::ontology::lexicon::Words;
use crate::ontology::Ontology;
use crate::text::fold;
use rustc_hash::FxHashMap;

/// The article and what it takes to find an office's owner.
pub(super) struct TitleScope<'a> {
    text: &'a str,
    doc: &'a DocEntities,
    ont: &'a Ontology,
    lang: Language,
    /// Person -> the owner their first titled mention names, anywhere in
    /// the article (computed once: an article may hold 100,000 mentions).
    owner_named: FxHashMap<usize, usize>,
    /// Titled mention's span -> the body it leads or represents
    /// ([`led_owner`]), found in the same pass.
    led: FxHashMap<(usize, usize), usize>,
}

impl<'a> TitleScope<'a> {
    pub(super) fn new(
        text: &'a str,
        doc: &'a DocEntities,
        ont: &'a Ontology,
        lang: Language,
    ) -> Self {
        let words = &ont.lexicon(lang).words;
        let mut owner_named = FxHashMap::default();
        let mut led = FxHashMap::default();
        let mut sentence: Vec<&Resolved> = Vec::new();
        for m in &doc.mentions {
            if sentence.first().is_some_and(|f| f.sentence != m.sentence) {
                sentence.clear();
            }
            let led_here = m
                .role
                .is_some()
                .then(|| led_owner(text, doc, ont, words, &sentence, m))
                .flatten();
            if let Some(body) = led_here {
                led.insert((m.start, m.end), body);
            }
            let owner = m
                .role
                .as_ref()
                .and_then(|r| r.owner.or(led_here).filter(|_| !r.by_date));
            if let (Some(&person), Some(owner)) = (m.entities.first(), owner) {
                owner_named.entry(person).or_insert(owner);
            }
            sentence.push(m);
        }
        TitleScope {
            text,
            doc,
            ont,
            lang,
            owner_named,
            led,
        }
    }
}

/// The `holdsPosition` relations of one sentence's titled mentions.
pub(super) fn positions(
    scope: &TitleScope<'_>,
    sentence_mentions: &[&Resolved],
    sentence_text: &str,
    out: &mut Vec<Relation>,
) {
    let TitleScope {
        text,
        doc,
        ont,
        lang,
        ref owner_named,
        ref led,
    } = *scope;
    let sentence_start = sentence_mentions.first().map_or(0, |m| m.start);
    // The owner each titled mention got from the text or the gazetteer
    // (not from a default), for the people coordinated after it.
    let mut owners: Vec<Option<usize>> = vec![None; sentence_mentions.len()];
    for (i, &m) in sentence_mentions.iter().enumerate() {
        // A role looked up by date is not in the text: no holdsPosition.
        let Some(role) = m.role.as_ref().filter(|r| !r.by_date) else {
            continue;
        };
        let Some(&person) = m.entities.first() else {
            continue;
        };
        let implied = || {
            role.implied
                .as_deref()
                .and_then(|q| entity_with_qid(doc, q))
        };
        let owned_elsewhere = || owner_named.get(&person).copied();
        // Indonesia has a president, ministers and other officials
        // ("Sekretaris Kabinet"), no prime minister: a "Perdana Menteri" in
        // Indonesian news is another country's, and so are its envoys,
        // spokespeople and leaders, who news names with their owner.
        let home_office = matches!(
            role.position.as_str(),
            "head_of_state" | "foreign_minister" | "minister" | "other"
        );
        let led = || led.get(&(m.start, m.end)).copied();
        let known = || known_country(doc, person, ont);
        let coordinated = || coordinated_owner(&sentence_mentions[..i], &owners, m, text);
        let host = || host_owner(doc, ont, person, sentence_start, out);
        let home = || home_owner(doc, lang, home_office);
        // What the text says here, then elsewhere in the article, before
        // what the gazetteer knows.
        let stated = role
            .owner
            .or_else(led)
            .or_else(implied)
            .or_else(owned_elsewhere)
            .or_else(known)
            .or_else(coordinated);
        owners[i] = stated;
        let owner = stated.or_else(host).or_else(home);
        let Some(owner) = owner else { continue };
        if owner == person {
            continue;
        }
        let evidence = text
            .get(role.phrase_start..role.phrase_end)
            .unwrap_or("")
            .to_string();
        out.push(Relation {
            subject: doc.entities[person].id.clone(),
            relation: "holdsPosition".to_string(),
            object: doc.entities[owner].id.clone(),
            polarity: Polarity::Positive,
            modality: Modality::Asserted,
            time: None,
            date: None,
            location: None,
            attributed_to: None,
            position: Some(role.position.clone()),
            confidence: if role.owner.is_some() { 0.9 } else { 0.7 },
            rule: format!("{}.title", lang.tag()),
            trigger: evidence.clone(),
            evidence,
            start: role.phrase_start,
            end: role.phrase_end,
            sentence: sentence_text.to_string(),
        });
    }
}

/// A titled person coordinated with an earlier titled person takes the
/// earlier one's owner, stated or known: "Presiden Rusia Vladimir Putin dan
/// Menteri Luar Negeri Sergey Lavrov", "Menteri Luar Negeri Mohamad Hasan
/// (Malaysia's, by the gazetteer), Menteri Dalam Negeri X, dan ...".
/// `before`: the sentence's mentions before `m`, in reading order, with
/// `owners` the owner each got.
fn coordinated_owner(
    before: &[&Resolved],
    owners: &[Option<usize>],
    m: &Resolved,
    text: &str,
) -> Option<usize> {
    let (p, prev) = before
        .iter()
        .enumerate()
        .rev()
        .find(|(_, p)| p.end <= m.start && p.role.is_some())?;
    let between = text.get(prev.end..m.role.as_ref()?.phrase_start)?;
    let joined = between
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .all(|w| matches!(w, "dan" | "and" | "serta"))
        && between.split_whitespace().count() <= 2;
    joined.then(|| owners.get(p).copied().flatten()).flatten()
}

/// The body or country a titled person leads or represents, named just
/// before the title with only the lexicon's `led_by` words (after a
/// `delegation` noun) between: "the Taliban, represented by Defence Minister
/// X", "Islamabad's delegation, led by ..." (a capital stands for its
/// country), "Tentara Nasional Libya (LNA) pimpinan Jenderal X".
/// `before`: the sentence's mentions before `m`.
fn led_owner(
    text: &str,
    doc: &DocEntities,
    ont: &Ontology,
    words: &Words,
    before: &[&Resolved],
    m: &Resolved,
) -> Option<usize> {
    let role = m.role.as_ref()?;
    let last = before.iter().rev().find(|p| p.end <= role.phrase_start)?;
    // The outermost mention ending there ("Tentara Nasional Libya", not
    // "Libya").
    let prev = before
        .iter()
        .filter(|p| p.end == last.end)
        .min_by_key(|p| p.start)?;
    let between = fold(text.get(prev.end..role.phrase_start)?);
    let trim = |s: &'_ str| -> String {
        s.trim_matches(|c: char| matches!(c, ',' | ')') || c.is_whitespace())
            .to_string()
    };
    let mut rest = trim(&between);
    // A short form in parentheses: "(LNA)".
    if let Some((_, r)) = rest.strip_prefix('(').and_then(|r| r.split_once(')')) {
        rest = trim(r);
    }
    if let Some(r) = rest.strip_prefix("'s") {
        rest = trim(r);
    }
    if let Some(r) = words.delegation.iter().find_map(|d| {
        rest.strip_prefix(d.as_str())
            .filter(|r| r.is_empty() || r.starts_with([' ', ',']))
    }) {
        rest = trim(r);
    }
    if !words.led_by.contains(&rest) {
        return None;
    }
    let owner = *prev.entities.first()?;
    let entity = &doc.entities[owner];
    match entity.entity_type {
        EntityType::Country | EntityType::Organization | EntityType::GovernmentBody => Some(owner),
        EntityType::City => {
            let country = super::places::country_of_city(doc, ont, &entity.id)?;
            doc.entities.iter().position(|e| e.id == country)
        }
        _ => None,
    }
}

/// A titled person met in a city (the object of the meeting: the visitor
/// is its subject) is the host, of the city's country: "X met in Beirut
/// with President Joseph Aoun". `found`: the relations so far, this
/// sentence's last (each ends past the sentence's first mention, as it
/// holds one).
fn host_owner(
    doc: &DocEntities,
    ont: &Ontology,
    person: usize,
    sentence_start: usize,
    found: &[Relation],
) -> Option<usize> {
    let id = &doc.entities[person].id;
    let city = found
        .iter()
        .rev()
        .take_while(|r| r.end > sentence_start)
        .filter(|r| r.relation == "meets" && r.object == *id)
        .find_map(|r| r.location.as_deref())?;
    let country = super::places::country_of_city(doc, ont, city)?;
    doc.entities.iter().position(|e| e.id == country)
}

/// A person the gazetteer knows carries their country.
fn known_country(doc: &DocEntities, person: usize, ont: &Ontology) -> Option<usize> {
    let country = doc
        .entities
        .get(person)
        .and_then(|e| ont.gazetteer.by_id(&e.id))
        .and_then(|g| g.extra.get("country"))?;
    entity_with_qid(doc, country)
}

/// In Indonesian news a title without a country ("Menteri Luar Negeri
/// Retno Marsudi") is Indonesia's, when the article names Indonesia.
fn home_owner(doc: &DocEntities, lang: Language, home_office: bool) -> Option<usize> {
    if lang != Language::Id || !home_office {
        return None;
    }
    entity_with_qid(doc, INDONESIA)
}

/// The article's entity with Wikidata id `qid`, if it names one.
fn entity_with_qid(doc: &DocEntities, qid: &str) -> Option<usize> {
    doc.entities
        .iter()
        .position(|e| e.qid.as_deref() == Some(qid))
}

const INDONESIA: &str = "Q252";
