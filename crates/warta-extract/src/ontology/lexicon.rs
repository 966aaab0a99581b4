//! Per-language lexicons (`ontology/lexicon/<lang>.toml`): relation triggers
//! with their argument cues, titles of office, and the function words the
//! extractor reads (negation, modality, reporting verbs, prepositions ...).
//!
//! Indonesian triggers are given as roots; their inflected forms are derived
//! with the language's affixes (meN-, di-, ber-, ter-, pe(N)-/per-...-an,
//! ke-...-an, -an, -kan, -i, -nya), with nasal assimilation, so "kecam" gives
//! mengecam, dikecam, kecaman, kecamannya. English lemmas get -s/-es, -ed/-d,
//! -ing. Every trigger carries its own examples, which a test runs.

use super::OntologyError;
use crate::model::{EntityType, Language};
use crate::text::{fold, tokenize};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The grammatical use of a trigger form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    /// "X mengecam Y", "X condemned Y".
    Active,
    /// "Y dikecam oleh X", "Y was condemned by X".
    Passive,
    /// "kecaman X terhadap Y", "X's condemnation of Y".
    Nominal,
}

impl Voice {
    /// The name `warta explain` shows.
    pub fn name(self) -> &'static str {
        match self {
            Voice::Active => "active",
            Voice::Passive => "passive",
            Voice::Nominal => "nominal",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    /// Expected relations as [subject label, relation, object label]
    /// (object: weapon class for testsWeapon). Empty: the rule's relation
    /// must not be found in the text at all.
    #[serde(default)]
    pub expect: Vec<[String; 3]>,
    /// Relations the text must not yield (a reading the rule once got
    /// wrong), in the same form as `expect`.
    #[serde(default)]
    pub absent: Vec<[String; 3]>,
    /// Optional expected polarity/modality of the first expected relation.
    #[serde(default)]
    pub polarity: Option<String>,
    #[serde(default)]
    pub modality: Option<String>,
}

/// A trigger rule as written in the TOML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerRule {
    pub id: String,
    pub relation: String,
    /// Indonesian roots to derive forms from.
    #[serde(default)]
    pub roots: Vec<String>,
    /// Active verb lemmas (English) or extra active forms (Indonesian).
    #[serde(default)]
    pub verbs: Vec<String>,
    /// Nouns (nominalisations), taken as written.
    #[serde(default)]
    pub nouns: Vec<String>,
    /// Prepositions introducing the object ("dengan", "with", "ke", "to").
    #[serde(default)]
    pub object_preps: Vec<String>,
    /// The verb takes its object directly ("mengecam X", "visited X").
    #[serde(default = "yes")]
    pub direct_object: bool,
    /// Words that must follow the trigger in the clause; the object is then
    /// looked for after them ("menghalangi ... sanksi terhadap X").
    #[serde(default)]
    pub object_after: Vec<String>,
    /// Words that must occur near the trigger (within 8 words either side).
    #[serde(default)]
    pub requires_near: Vec<String>,
    /// For testsWeapon: cue word -> weapon class.
    #[serde(default)]
    pub weapons: BTreeMap<String, String>,
    /// The subject always stands before the trigger ("X, anggota Y",
    /// "X, a member of Y"): never take the group after a nominal trigger.
    #[serde(default)]
    pub subject_left: bool,
    /// Object types allowed (default: any actor).
    #[serde(default)]
    pub object_types: Vec<String>,
    /// When the surface walk finds no roles, read them off the dependency
    /// tree by the lexicon's `[tree]` paths (default). `false` keeps the
    /// rule to its surface roles.
    #[serde(default = "yes")]
    pub tree_roles: bool,
    /// With no object, coordinated subjects of a symmetric relation relate
    /// to each other ("A and B met"). `false` for one-sided forms: "A and B
    /// were there to welcome the guests" is no meeting of A and B.
    #[serde(default = "yes")]
    pub reciprocal: bool,
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    #[serde(default)]
    pub examples: Vec<Example>,
}

fn yes() -> bool {
    true
}

fn default_confidence() -> f64 {
    0.8
}

/// A title of office ("Presiden", "Menteri Luar Negeri", "Foreign Minister").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleRule {
    pub words: Vec<String>,
    pub position: String,
    /// The title names a body, not a country ("Kuasa Usaha ... KBRI Tokyo").
    #[serde(default)]
    pub owner_is_body: bool,
    /// The owner may follow "to" as well as "of" ("adviser to the
    /// Bangladesh government"); not for envoys, posted to a country.
    #[serde(default)]
    pub owner_after_to: bool,
    /// A title only one country uses ("Secretary of State": Q30).
    #[serde(default)]
    pub country: Option<String>,
}

/// Definite descriptions ("negara tersebut", "the ministry").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescriptionRule {
    pub words: Vec<String>,
    /// The type it refers to.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// A head word the antecedent's name must contain ("Kementerian").
    #[serde(default)]
    pub head: Vec<String>,
    /// Refers to two entities ("kedua negara", "the two leaders").
    #[serde(default)]
    pub plural: bool,
    /// Only persons holding one of these positions in the article.
    #[serde(default)]
    pub positions: Vec<String>,
    /// Else these: "the two leaders" are heads of state or government, or
    /// failing those the ministers who met.
    #[serde(default)]
    pub positions_else: Vec<String>,
}

/// Function words by role.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Words {
    #[serde(default)]
    pub negation: Vec<String>,
    /// Phrases that start with a negation word but negate nothing ("tidak
    /// sengaja" = by accident, "not only").
    #[serde(default)]
    pub not_negation: Vec<String>,
    #[serde(default)]
    pub planned: Vec<String>,
    #[serde(default)]
    pub possible: Vec<String>,
    #[serde(default)]
    pub reporting: Vec<String>,
    #[serde(default)]
    pub coordination: Vec<String>,
    #[serde(default)]
    pub passive_agent: Vec<String>,
    #[serde(default)]
    pub passive_aux: Vec<String>,
    #[serde(default)]
    pub location_preps: Vec<String>,
    #[serde(default)]
    pub prepositions: Vec<String>,
    #[serde(default)]
    pub between: Vec<String>,
    /// Nouns of events a name can modify ("the ASEAN summit").
    #[serde(default)]
    pub event_nouns: Vec<String>,
    /// Words opening a purpose clause ("untuk bertemu", "to meet").
    #[serde(default)]
    pub purpose: Vec<String>,
    /// Verbs whose object does what follows "to" ("urged Iran to talk").
    #[serde(default)]
    pub object_control: Vec<String>,
    /// Prepositions of a time adjunct ("after talks with X"): a meeting
    /// named there is the clause subject's.
    #[serde(default)]
    pub adjunct_preps: Vec<String>,
    /// Words between a body or country and the titled person who leads or
    /// represents it ("the Taliban, represented by Defence Minister X",
    /// "LNA pimpinan Jenderal X"): that body owns the title.
    #[serde(default)]
    pub led_by: Vec<String>,
    /// Adverbs that may stand between a coordination and a second verb
    /// sharing the first one's subject ("X met Y and strongly backed Z").
    #[serde(default)]
    pub adverbs: Vec<String>,
    /// Nouns of a party sent somewhere, between its owner and `led_by`
    /// ("Islamabad's delegation, led by ...").
    #[serde(default)]
    pub delegation: Vec<String>,
    #[serde(default)]
    pub pronouns: Vec<String>,
    #[serde(default)]
    pub plural_pronouns: Vec<String>,
    #[serde(default)]
    pub clause_breaks: Vec<String>,
    /// Capitalised words that are not names at the start of a sentence.
    #[serde(default)]
    pub not_names: Vec<String>,
    /// Words that make a capitalised span an organisation/body/place/media.
    #[serde(default)]
    pub org_heads: Vec<String>,
    #[serde(default)]
    pub body_heads: Vec<String>,
    #[serde(default)]
    pub place_heads: Vec<String>,
    #[serde(default)]
    pub media_cues: Vec<String>,
    /// Lowercase particles inside names ("bin", "van", "of").
    #[serde(default)]
    pub name_particles: Vec<String>,
    /// Capitalised portfolio words inside or after a title, not part of a name.
    #[serde(default)]
    pub portfolio: Vec<String>,
    /// Compass words that make a new region of a place ("Jawa Barat").
    #[serde(default)]
    pub compass: Vec<String>,
    /// Honorifics before a person's name ("Ibu", "Mr.").
    #[serde(default)]
    pub honorifics: Vec<String>,
    /// Linking verbs that give a title to the person before them.
    #[serde(default)]
    pub copulas: Vec<String>,
    /// Words naming an organisation's members ("member countries",
    /// "negara anggota"): followed by a list marker and a list, each listed
    /// entity is a member of the organisation named just before.
    #[serde(default)]
    pub member_words: Vec<String>,
    /// What opens such a list (":", "(", "yakni", "namely").
    #[serde(default)]
    pub list_markers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    language: String,
    #[serde(default)]
    words: Words,
    #[serde(default)]
    tree: TreePaths,
    #[serde(default)]
    title: Vec<TitleRule>,
    #[serde(default)]
    description: Vec<DescriptionRule>,
    #[serde(default)]
    trigger: Vec<TriggerRule>,
}

/// The dependency relations (UD labels, with subtype where it matters)
/// that give a trigger's roles when they are read off the tree
/// (`[tree]` in a lexicon file; each list has a default).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TreePaths {
    /// From an active verb to its subject ("Russia condemned").
    pub subject: Vec<String>,
    /// From an active verb to its direct object ("condemned Japan").
    pub object: Vec<String>,
    /// From a verb or noun to an oblique whose `case` word is one of the
    /// rule's `object_preps` ("met with X", "bertemu dengan X").
    pub oblique: Vec<String>,
    /// From a passive verb to its patient ("Japan was condemned").
    pub passive_subject: Vec<String>,
    /// From a passive verb to its agent; an oblique whose `case` word is
    /// one of `words.passive_agent` ("by", "oleh") counts too.
    pub passive_agent: Vec<String>,
    /// From a nominal trigger to its possessor, the agent ("Russia's
    /// invasion", "kunjungan Jokowi").
    pub possessor: Vec<String>,
    /// A trigger attached to its head by one of these shares the head's
    /// subject ("agreed to meet", "arrived and met").
    pub inherit: Vec<String>,
    /// A nominal trigger attached to its verb by one of these takes the
    /// verb's subject ("Macron paid a visit to", "X held talks with").
    pub nominal_inherit: Vec<String>,
    /// Relations followed down from a role's word to the mention it stands
    /// for ("the president, Joko Widodo": appos; "PM Jepang": flat, nmod).
    pub step_over: Vec<String>,
    /// Longer sentences are not parsed for roles: they cost the most to
    /// parse and parse the least reliably (on the dev set, 50 loses nothing
    /// and saves a tenth of the parsing).
    pub max_tokens: usize,
}

impl Default for TreePaths {
    fn default() -> Self {
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        TreePaths {
            subject: v(&["nsubj"]),
            object: v(&["obj", "iobj"]),
            oblique: v(&["obl", "nmod", "obl:arg"]),
            passive_subject: v(&["nsubj:pass"]),
            passive_agent: v(&["obl:agent"]),
            possessor: v(&["nmod:poss"]),
            inherit: v(&["xcomp", "conj", "advcl"]),
            nominal_inherit: v(&["obj"]),
            step_over: v(&["appos", "flat", "flat:name", "compound", "nmod", "conj"]),
            max_tokens: 50,
        }
    }
}

/// A derived trigger form, keyed by its folded word sequence.
#[derive(Debug, Clone)]
pub struct TriggerForm {
    pub rule: usize,
    pub voice: Voice,
}

/// A loaded lexicon for one language.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub language: Language,
    pub words: Words,
    /// Dependency paths for roles read off the tree.
    pub tree: TreePaths,
    pub titles: Vec<TitleRule>,
    pub descriptions: Vec<DescriptionRule>,
    pub rules: Vec<TriggerRule>,
    /// Folded form (words joined by single spaces) -> rules using it.
    pub forms: HashMap<String, Vec<TriggerForm>>,
    /// Longest trigger form in words.
    pub max_form_words: usize,
    /// First words of the multi-word trigger forms (to skip useless lookups).
    pub multi_word_starts: HashSet<String>,
    /// Titles by their first word: (words, index into `titles`).
    pub title_index: PhraseIndex,
    /// Descriptions by their first word: (words, index into `descriptions`).
    pub description_index: PhraseIndex,
    /// Every word of every title (a title word is never part of a name).
    pub title_words: HashSet<String>,
    /// Prepositions, clause breaks and coordination, folded.
    pub function_words: HashSet<String>,
    /// Every word-boundary prefix of every folded word list entry (the
    /// `words` lists and the rules' object lists): a token not in here
    /// starts no entry, so most tokens skip the list scans.
    pub listed_prefixes: HashSet<String>,
    /// First words of the rules' `object_after` keywords: a sentence with
    /// one can hand its target to a later sentence's trigger.
    pub object_after_starts: HashSet<String>,
    /// First words of `words.member_words`: a sentence with one may hold a
    /// member list.
    pub member_word_starts: HashSet<String>,
    /// The case-sensitive word lists as sets, for lookups per token.
    pub sets: WordSets,
}

/// Word lists of [`Words`] that recognition looks up per token, as sets
/// (exact case; honorifics without their final period).
#[derive(Debug, Clone, Default)]
pub struct WordSets {
    pub not_names: HashSet<String>,
    pub body_heads: HashSet<String>,
    pub org_heads: HashSet<String>,
    pub place_heads: HashSet<String>,
    pub portfolio: HashSet<String>,
    pub honorifics: HashSet<String>,
    pub compass: HashSet<String>,
    pub copulas: HashSet<String>,
    pub media_cues: HashSet<String>,
    pub name_particles: HashSet<String>,
}

impl WordSets {
    fn from_words(w: &Words) -> WordSets {
        let set = |l: &[String]| {
            l.iter()
                .map(|x| x.trim_end_matches('.').to_string())
                .collect::<HashSet<String>>()
        };
        WordSets {
            not_names: set(&w.not_names),
            body_heads: set(&w.body_heads),
            org_heads: set(&w.org_heads),
            place_heads: set(&w.place_heads),
            portfolio: set(&w.portfolio),
            honorifics: set(&w.honorifics),
            compass: set(&w.compass),
            copulas: set(&w.copulas),
            media_cues: set(&w.media_cues),
            name_particles: set(&w.name_particles),
        }
    }
}

/// Phrases indexed by their first word, so matching at a token looks at the
/// few phrases that can start there.
/// Phrases (titles, descriptions) by their first word, looked up for every
/// token of every sentence. Most tokens start no phrase, so a table of the
/// (first byte, length) pairs that first words have answers "no" before any
/// hashing.
#[derive(Debug, Clone, Default)]
pub struct PhraseIndex {
    by_first: HashMap<String, Vec<(Vec<String>, usize)>>,
    /// Bit `min(len, 63)` of entry `b` is set when a first word starts with
    /// byte `b` and has `len` bytes.
    shapes: Vec<u64>,
}

impl PhraseIndex {
    fn new<'a>(phrases: impl Iterator<Item = (&'a String, usize)>) -> PhraseIndex {
        let mut index = PhraseIndex {
            by_first: HashMap::default(),
            shapes: vec![0; 256],
        };
        for (phrase, rule) in phrases {
            // Split as the text is ("Secretary-General" is three tokens),
            // so a phrase matches the tokens of a sentence word by word.
            let words: Vec<String> = tokenize(phrase, 0, phrase.len())
                .iter()
                .map(|t| t.text(phrase).to_string())
                .collect();
            if let Some(first) = words.first() {
                if let Some(slot) = first
                    .bytes()
                    .next()
                    .and_then(|b| index.shapes.get_mut(usize::from(b)))
                {
                    *slot |= PhraseIndex::length_bit(first);
                }
                index
                    .by_first
                    .entry(first.clone())
                    .or_default()
                    .push((words, rule));
            }
        }
        index
    }

    fn length_bit(word: &str) -> u64 {
        1 << word.len().min(63)
    }

    /// The phrases whose first word is `first` (exact case): their words
    /// and the index of their rule.
    pub fn get(&self, first: &str) -> &[(Vec<String>, usize)] {
        let shape_fits = first
            .bytes()
            .next()
            .and_then(|b| self.shapes.get(usize::from(b)))
            .is_some_and(|bits| bits & PhraseIndex::length_bit(first) != 0);
        if !shape_fits {
            return &[];
        }
        self.by_first.get(first).map_or(&[], Vec::as_slice)
    }
}

/// The line of `text` where `needle` first occurs (0: nowhere), for errors.
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map_or(0, |i| text[..i].matches('\n').count() + 1)
}

/// The TOML of a lexicon file and its language.
fn read_file(text: &str, file: &str) -> Result<(LexiconFile, Language), OntologyError> {
    let parsed: LexiconFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| {
            text.get(..s.start)
                .map_or(0, |t| t.matches('\n').count() + 1)
        });
        OntologyError::new(file, line, e.message().to_string())
    })?;
    let language = Language::parse(&parsed.language).ok_or_else(|| {
        OntologyError::new(file, 1, format!("unknown language '{}'", parsed.language))
    })?;
    Ok((parsed, language))
}

/// A trigger rule's own checks: a unique id, a relation the ontology
/// declares, a confidence in [0, 1], known object types. `at` is its line.
fn check_rule(
    rule: &TriggerRule,
    (file, at): (&str, usize),
    ids: &mut HashSet<String>,
    relations_known: &dyn Fn(&str) -> bool,
) -> Result<(), OntologyError> {
    if !ids.insert(rule.id.clone()) {
        return Err(OntologyError::new(
            file,
            at,
            format!("rule id '{}' is used twice", rule.id),
        ));
    }
    if !relations_known(&rule.relation) {
        return Err(OntologyError::new(
            file,
            at,
            format!(
                "rule {} names relation '{}', which ontology/warta.ttl does not declare",
                rule.id, rule.relation
            ),
        ));
    }
    if !(0.0..=1.0).contains(&rule.confidence) {
        return Err(OntologyError::new(
            file,
            at,
            format!("rule {}: confidence must be in [0, 1]", rule.id),
        ));
    }
    for t in &rule.object_types {
        if EntityType::parse(t).is_none() {
            return Err(OntologyError::new(
                file,
                at,
                format!("rule {}: unknown object type '{t}'", rule.id),
            ));
        }
    }
    Ok(())
}

/// The trigger forms of rule `i`: derived from its roots (Indonesian) or
/// verbs (English), its verbs as written (Indonesian), its nouns with their
/// possessive (-nya) or plural.
fn add_rule_forms(
    forms: &mut HashMap<String, Vec<TriggerForm>>,
    i: usize,
    rule: &TriggerRule,
    language: Language,
) {
    let mut add = |form: String, voice: Voice| {
        let key = fold(&form);
        if key.is_empty() {
            return;
        }
        let list = forms.entry(key).or_default();
        if !list.iter().any(|f| f.rule == i && f.voice == voice) {
            list.push(TriggerForm { rule: i, voice });
        }
    };
    match language {
        Language::Id => {
            for root in &rule.roots {
                for (form, voice) in derive_indonesian(root) {
                    add(form, voice);
                }
            }
            for v in &rule.verbs {
                add(v.clone(), Voice::Active);
            }
        }
        Language::En => {
            for v in &rule.verbs {
                for (form, voice) in derive_english(v) {
                    add(form, voice);
                }
            }
        }
    }
    for n in &rule.nouns {
        add(n.clone(), Voice::Nominal);
        match language {
            Language::Id => add(format!("{n}nya"), Voice::Nominal),
            // "condemnations", "criticisms": the plural of the last word.
            Language::En => {
                if let Some(plural) = english_plural(n) {
                    add(plural, Voice::Nominal);
                }
            }
        }
    }
}

/// The extractor compares the word lists (and the rules' keyword lists)
/// with folded tokens: folds them once here. Returns every word-boundary
/// prefix of a folded entry, gathered while folding so the set covers
/// exactly the lists the extractor compares.
fn fold_word_lists(words: &mut Words, rules: &mut [TriggerRule]) -> HashSet<String> {
    let mut listed_prefixes: HashSet<String> = HashSet::default();
    let mut fold_list = |list: &mut Vec<String>| {
        for w in list.iter_mut() {
            *w = fold(w);
            listed_prefixes.insert(w.clone());
            for (k, _) in w.match_indices(' ') {
                listed_prefixes.insert(w[..k].to_string());
            }
        }
    };
    for list in [
        &mut words.negation,
        &mut words.not_negation,
        &mut words.planned,
        &mut words.possible,
        &mut words.reporting,
        &mut words.coordination,
        &mut words.passive_agent,
        &mut words.passive_aux,
        &mut words.location_preps,
        &mut words.prepositions,
        &mut words.between,
        &mut words.adjunct_preps,
        &mut words.led_by,
        &mut words.adverbs,
        &mut words.delegation,
        &mut words.purpose,
        &mut words.event_nouns,
        &mut words.object_control,
        &mut words.pronouns,
        &mut words.plural_pronouns,
        &mut words.clause_breaks,
        &mut words.member_words,
        &mut words.list_markers,
    ] {
        fold_list(list);
    }
    for rule in rules.iter_mut() {
        for list in [
            &mut rule.object_preps,
            &mut rule.object_after,
            &mut rule.requires_near,
        ] {
            fold_list(list);
        }
        rule.weapons = std::mem::take(&mut rule.weapons)
            .into_iter()
            .map(|(k, v)| (fold(&k), v))
            .collect();
    }
    listed_prefixes
}

impl Lexicon {
    /// Parses and checks a lexicon file, derives the trigger forms of its
    /// rules, and builds the lookups the extractor uses.
    pub fn parse(
        text: &str,
        file: &str,
        relations_known: &dyn Fn(&str) -> bool,
    ) -> Result<Lexicon, OntologyError> {
        let (parsed, language) = read_file(text, file)?;
        let mut forms: HashMap<String, Vec<TriggerForm>> = HashMap::default();
        let mut ids = HashSet::default();
        for (i, rule) in parsed.trigger.iter().enumerate() {
            let at = line_of(text, &format!("\"{}\"", rule.id));
            check_rule(rule, (file, at), &mut ids, relations_known)?;
            add_rule_forms(&mut forms, i, rule, language);
        }
        for d in &parsed.description {
            if EntityType::parse(&d.entity_type).is_none() {
                return Err(OntologyError::new(
                    file,
                    line_of(text, &d.entity_type),
                    format!("unknown description type '{}'", d.entity_type),
                ));
            }
        }
        let max_form_words = forms
            .keys()
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(1);
        let mut words = parsed.words;
        let mut rules = parsed.trigger;
        let listed_prefixes = fold_word_lists(&mut words, &mut rules);
        let object_after_starts = rules
            .iter()
            .flat_map(|r| &r.object_after)
            .filter_map(|k| k.split(' ').next())
            .map(str::to_string)
            .collect();
        let title_index = PhraseIndex::new(
            parsed
                .title
                .iter()
                .enumerate()
                .flat_map(|(i, t)| t.words.iter().map(move |w| (w, i))),
        );
        let description_index = PhraseIndex::new(
            parsed
                .description
                .iter()
                .enumerate()
                .flat_map(|(i, d)| d.words.iter().map(move |w| (w, i))),
        );
        let title_words = parsed
            .title
            .iter()
            .flat_map(|t| t.words.iter())
            .filter(|w| !w.contains(' '))
            .cloned()
            .collect();
        let function_words = words
            .prepositions
            .iter()
            .chain(&words.clause_breaks)
            .chain(&words.coordination)
            .cloned()
            .collect();
        let member_word_starts = words
            .member_words
            .iter()
            .filter_map(|m| m.split(' ').next())
            .map(str::to_string)
            .collect();
        let multi_word_starts = forms
            .keys()
            .filter_map(|k| k.split_once(' ').map(|(f, _)| f.to_string()))
            .collect();
        let sets = WordSets::from_words(&words);
        Ok(Lexicon {
            sets,
            multi_word_starts,
            member_word_starts,
            title_index,
            description_index,
            title_words,
            function_words,
            listed_prefixes,
            object_after_starts,
            language,
            words,
            tree: parsed.tree,
            titles: parsed.title,
            descriptions: parsed.description,
            rules,
            forms,
            max_form_words,
        })
    }
}

/// The meN- prefix for a root, with nasal assimilation. Voiceless initials
/// (k, p, t, s) drop after the nasal, but loanwords often keep them
/// (mengkritik), so both are produced.
fn men_prefixed(root: &str) -> Vec<String> {
    let first = root.chars().next().unwrap_or('a');
    let rest: String = root.chars().skip(1).collect();
    let syllables = root.chars().filter(|c| "aeiou".contains(*c)).count();
    if syllables <= 1 {
        return vec![format!("menge{root}"), format!("meng{root}")];
    }
    match first {
        'k' => vec![format!("meng{rest}"), format!("meng{root}")],
        'p' => vec![format!("mem{rest}"), format!("mem{root}")],
        't' => vec![format!("men{rest}"), format!("men{root}")],
        's' => vec![format!("meny{rest}"), format!("men{root}")],
        'b' | 'f' | 'v' => vec![format!("mem{root}")],
        'c' | 'd' | 'j' | 'z' => vec![format!("men{root}")],
        'g' | 'h' | 'a' | 'e' | 'i' | 'o' | 'u' => vec![format!("meng{root}")],
        _ => vec![format!("me{root}")],
    }
}

/// pe(N)- follows the same assimilation as meN-.
fn pen_prefixed(root: &str) -> Vec<String> {
    men_prefixed(root)
        .into_iter()
        .map(|m| format!("pe{}", &m[2..]))
        .collect()
}

/// All inflected forms of an Indonesian root, with their voice.
pub fn derive_indonesian(root: &str) -> Vec<(String, Voice)> {
    let root = root.trim().to_lowercase();
    let mut out = Vec::new();
    // -inya: "menemuinya", "mengunjunginya" (the -i verb with an object pronoun).
    let verb_suffixes = ["", "kan", "i", "nya", "inya"];
    // bare root used as a verb in headlines and speech ("Rusia veto resolusi")
    out.push((root.clone(), Voice::Active));
    for men in men_prefixed(&root) {
        for s in verb_suffixes {
            out.push((format!("{men}{s}"), Voice::Active));
        }
        out.push((format!("{men}kannya"), Voice::Active));
    }
    for s in ["", "kan", "i", "nya", "kannya", "inya"] {
        out.push((format!("di{root}{s}"), Voice::Passive));
        out.push((format!("ter{root}{s}"), Voice::Passive));
    }
    let ber = if root.starts_with('r') { "be" } else { "ber" };
    out.push((format!("{ber}{root}"), Voice::Active));
    out.push((format!("{ber}{root}an"), Voice::Active));
    for s in ["an", "annya"] {
        out.push((format!("{root}{s}"), Voice::Nominal));
        out.push((format!("per{root}{s}"), Voice::Nominal));
        out.push((format!("ke{root}{s}"), Voice::Nominal));
        for pen in pen_prefixed(&root) {
            out.push((format!("{pen}{s}"), Voice::Nominal));
        }
    }
    out
}

/// The stems a word of an Indonesian root can start with, each with its
/// prefix: the bare root and the root after meN-, peN- (with the same nasal
/// assimilation as [`derive_indonesian`]), di-, ter-, ber-, per-, ke-, and
/// the stacked memper- and diper-. The derivation uses these prefixes in a
/// few combinations with the suffixes; this is the inventory the near-miss
/// analysis of `warta explain` accepts in any combination, so a word built
/// from a root with affixes the derivation does not combine is recognised
/// as "a form of that root" (and a test checks every derived form is).
pub fn indonesian_stems(root: &str) -> Vec<(String, &'static str)> {
    let root = root.trim().to_lowercase();
    let mut out = vec![(root.clone(), "")];
    out.extend(men_prefixed(&root).into_iter().map(|m| (m, "meN-")));
    out.extend(pen_prefixed(&root).into_iter().map(|p| (p, "peN-")));
    let ber = if root.starts_with('r') { "be" } else { "ber" };
    out.push((format!("{ber}{root}"), "ber-"));
    for (prefix, label) in [
        ("di", "di-"),
        ("ter", "ter-"),
        ("per", "per-"),
        ("ke", "ke-"),
        ("memper", "memper-"),
        ("diper", "diper-"),
    ] {
        out.push((format!("{prefix}{root}"), label));
    }
    out
}

/// Indonesian suffixes by slot, in the order they attach to a stem: a
/// derivational suffix (-kan, -i, -an), an enclitic pronoun (-nya, -ku,
/// -mu), a particle (-lah, -kah, -pun). [`derive_indonesian`] uses the first
/// two slots in some combinations (-kan, -i, -nya, -kannya, -an, -annya).
pub const INDONESIAN_SUFFIX_SLOTS: [&[&str]; 3] = [
    &["kan", "i", "an"],
    &["nya", "ku", "mu"],
    &["lah", "kah", "pun"],
];

/// English suffixes by slot: a nominalising suffix, then an inflection.
/// [`derive_english`] uses the inflections (-s/-es, -ed/-d, -ing) alone.
pub const ENGLISH_SUFFIX_SLOTS: [&[&str]; 2] = [
    &["ation", "ition", "ion", "ment", "al", "ance", "ence", "ism"],
    &["s", "es", "ed", "d", "ing"],
];

/// The stems of an English lemma's forms, with the spelling changes
/// [`derive_english`] makes: the lemma, without a final e ("urg-ing"), with
/// a final consonant-y as i ("appli-ed"), with a doubled final consonant
/// ("bann-ed"). Multi-word lemmas have none (only single words are analysed).
pub fn english_stems(lemma: &str) -> Vec<String> {
    let head = lemma.trim().to_lowercase();
    if head.is_empty() || head.contains(' ') {
        return Vec::new();
    }
    let mut out = vec![head.clone()];
    if let Some(stem) = head.strip_suffix('e') {
        if !head.ends_with("ee") {
            out.push(stem.to_string());
        }
    }
    let ends_cons_y = head.ends_with('y')
        && !head.ends_with("ay")
        && !head.ends_with("ey")
        && !head.ends_with("oy");
    if ends_cons_y {
        out.push(format!("{}i", &head[..head.len() - 1]));
    }
    if let Some(last) = head.chars().last() {
        if !"aeiouwxy".contains(last) && head.len() <= 4 {
            out.push(format!("{head}{last}"));
        }
    }
    out
}

/// Splits `rest` into suffixes, at most one from each slot, in slot order:
/// the suffixes, or `None` when `rest` is not such a sequence. The empty
/// string is the empty sequence.
pub fn suffix_sequence(rest: &str, slots: &[&[&'static str]]) -> Option<Vec<&'static str>> {
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let (first, later) = slots.split_first()?;
    for &suffix in first.iter() {
        if let Some(tail) = rest.strip_prefix(suffix) {
            if let Some(mut more) = suffix_sequence(tail, later) {
                more.insert(0, suffix);
                return Some(more);
            }
        }
    }
    suffix_sequence(rest, later)
}

/// The plural of an English noun (of its last word); `None` for a noun
/// that already ends in -s ("talks") or in a way the rules do not cover.
pub fn english_plural(noun: &str) -> Option<String> {
    let n = noun.trim();
    let last = n.chars().last()?;
    if !last.is_ascii_alphabetic() || n.ends_with('s') {
        return None;
    }
    if n.ends_with('x') || n.ends_with("ch") || n.ends_with("sh") {
        return Some(format!("{n}es"));
    }
    let before_y = n.strip_suffix('y');
    if let Some(stem) = before_y.filter(|st| !st.ends_with(['a', 'e', 'o', 'u'])) {
        return Some(format!("{stem}ies"));
    }
    Some(format!("{n}s"))
}

/// Inflected forms of an English verb lemma (multi-word lemmas inflect their
/// first word: "call on" -> "called on"). Irregular forms are listed as verbs
/// of their own in the lexicon ("met").
pub fn derive_english(lemma: &str) -> Vec<(String, Voice)> {
    let lemma = lemma.trim().to_lowercase();
    let (head, tail) = match lemma.split_once(' ') {
        Some((h, t)) => (h.to_string(), format!(" {t}")),
        None => (lemma.clone(), String::new()),
    };
    let mut heads = vec![head.clone()];
    let stem_e = head.strip_suffix('e');
    let ends_cons_y = head.ends_with('y')
        && !head.ends_with("ay")
        && !head.ends_with("ey")
        && !head.ends_with("oy");
    // third person
    if head.ends_with('s')
        || head.ends_with('o')
        || head.ends_with("sh")
        || head.ends_with("ch")
        || head.ends_with('x')
    {
        heads.push(format!("{head}es"));
    } else if ends_cons_y {
        heads.push(format!("{}ies", &head[..head.len() - 1]));
    } else {
        heads.push(format!("{head}s"));
    }
    // -ing
    match stem_e {
        Some(stem) if !head.ends_with("ee") => heads.push(format!("{stem}ing")),
        _ => heads.push(format!("{head}ing")),
    }
    let mut past = Vec::new();
    if head.ends_with('e') {
        past.push(format!("{head}d"));
    } else if ends_cons_y {
        past.push(format!("{}ied", &head[..head.len() - 1]));
    } else {
        past.push(format!("{head}ed"));
        // doubled final consonant: "ban" -> "banned"
        if let Some(last) = head.chars().last() {
            if !"aeiouwxy".contains(last) && head.len() <= 4 {
                past.push(format!("{head}{last}ed"));
            }
        }
    }
    let mut out: Vec<(String, Voice)> = heads
        .into_iter()
        .map(|h| (format!("{h}{tail}"), Voice::Active))
        .collect();
    for p in past {
        // Past participle after "was/were/been" is passive; the extractor
        // decides from the auxiliary, the form itself is active.
        out.push((format!("{p}{tail}"), Voice::Active));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phrase_prefilter_never_hides_a_phrase() {
        let titles = [
            "Presiden",
            "Perdana Menteri",
            "PM",
            "Menteri Luar Negeri",
            "Menlu",
        ]
        .map(String::from);
        let index = PhraseIndex::new(titles.iter().zip(0..));
        for (k, t) in titles.iter().enumerate() {
            let first = t.split(' ').next().unwrap_or("");
            assert!(index.get(first).iter().any(|(_, r)| *r == k), "{t}");
        }
        for other in ["Presidenan", "P", "Pm", "Menteri", "Luar", "", "Résident"] {
            let expected = titles.iter().any(|t| t.split(' ').next() == Some(other));
            assert_eq!(!index.get(other).is_empty(), expected, "{other}");
        }
    }

    fn forms(root: &str) -> Vec<String> {
        derive_indonesian(root)
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn indonesian_morphology() {
        let kecam = forms("kecam");
        for f in ["mengecam", "dikecam", "kecaman", "kecamannya"] {
            assert!(kecam.contains(&f.to_string()), "kecam lacks {f}");
        }
        let temu = forms("temu");
        for f in ["bertemu", "pertemuan", "menemui", "ditemui"] {
            assert!(temu.contains(&f.to_string()), "temu lacks {f}");
        }
        let kunjung = forms("kunjung");
        for f in ["mengunjungi", "kunjungan", "berkunjung"] {
            assert!(kunjung.contains(&f.to_string()), "kunjung lacks {f}");
        }
        assert!(forms("blokir").contains(&"memblokir".to_string()));
        assert!(forms("halang").contains(&"menghalangi".to_string()));
        assert!(forms("veto").contains(&"memveto".to_string()));
        assert!(forms("veto").contains(&"diveto".to_string()));
        let desak = forms("desak");
        assert!(desak.contains(&"mendesak".to_string()) && desak.contains(&"desakan".to_string()));
        assert!(forms("tolak").contains(&"penolakan".to_string()));
        assert!(forms("serang").contains(&"menyerang".to_string()));
        assert!(forms("bom").contains(&"mengebom".to_string()));
        // An -i verb with an object pronoun, active and passive.
        assert!(forms("temu").contains(&"menemuinya".to_string()));
        assert!(forms("kunjung").contains(&"mengunjunginya".to_string()));
        assert!(forms("kunjung").contains(&"dikunjunginya".to_string()));
    }

    #[test]
    fn english_noun_plurals() {
        assert_eq!(
            english_plural("condemnation").as_deref(),
            Some("condemnations")
        );
        assert_eq!(english_plural("criticism").as_deref(), Some("criticisms"));
        assert_eq!(english_plural("policy").as_deref(), Some("policies"));
        assert_eq!(english_plural("journey").as_deref(), Some("journeys"));
        assert_eq!(english_plural("crash").as_deref(), Some("crashes"));
        assert_eq!(
            english_plural("diplomatic tie").as_deref(),
            Some("diplomatic ties")
        );
        assert_eq!(english_plural("talks"), None);
    }

    #[test]
    fn english_inflection() {
        let f: Vec<String> = derive_english("condemn")
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        for w in ["condemn", "condemns", "condemned", "condemning"] {
            assert!(f.contains(&w.to_string()), "{w}");
        }
        let f: Vec<String> = derive_english("urge").into_iter().map(|(f, _)| f).collect();
        assert!(f.contains(&"urged".to_string()) && f.contains(&"urging".to_string()));
        let f: Vec<String> = derive_english("call on")
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert!(f.contains(&"called on".to_string()) && f.contains(&"calls on".to_string()));
        let f: Vec<String> = derive_english("accuse")
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert!(f.contains(&"accused".to_string()));
        let f: Vec<String> = derive_english("criticize")
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert!(f.contains(&"criticized".to_string()));
        let f: Vec<String> = derive_english("veto").into_iter().map(|(f, _)| f).collect();
        assert!(f.contains(&"vetoed".to_string()) && f.contains(&"vetoes".to_string()));
    }

    /// The near-miss analysis (stems and suffix slots) recognises every
    /// form the derivation makes from the shipped roots and lemmas, so the
    /// two cannot drift apart.
    #[test]
    fn analysis_recognises_every_derived_form() {
        let all = |_: &str| true;
        let id = Lexicon::parse(
            include_str!("../../../../ontology/lexicon/id.toml"),
            "id.toml",
            &all,
        )
        .expect("id.toml");
        let en = Lexicon::parse(
            include_str!("../../../../ontology/lexicon/en.toml"),
            "en.toml",
            &all,
        )
        .expect("en.toml");
        let mut checked = 0;
        for root in id.rules.iter().flat_map(|r| &r.roots) {
            if root.contains(' ') {
                continue;
            }
            for (form, _) in derive_indonesian(root) {
                let ok = indonesian_stems(root).iter().any(|(stem, _)| {
                    form.strip_prefix(stem.as_str()).is_some_and(|rest| {
                        suffix_sequence(rest, &INDONESIAN_SUFFIX_SLOTS).is_some()
                    })
                });
                assert!(ok, "{form} (root {root}) is not analysed");
                checked += 1;
            }
        }
        for lemma in en.rules.iter().flat_map(|r| &r.verbs) {
            if lemma.contains(' ') {
                continue;
            }
            for (form, _) in derive_english(lemma) {
                let ok = english_stems(lemma).iter().any(|stem| {
                    form.strip_prefix(stem.as_str())
                        .is_some_and(|rest| suffix_sequence(rest, &ENGLISH_SUFFIX_SLOTS).is_some())
                });
                assert!(ok, "{form} (lemma {lemma}) is not analysed");
                checked += 1;
            }
        }
        assert!(checked > 500, "{checked}");
    }

    #[test]
    fn suffixes_attach_in_slot_order() {
        let slots = &INDONESIAN_SUFFIX_SLOTS;
        assert_eq!(suffix_sequence("kannya", slots), Some(vec!["kan", "nya"]));
        assert_eq!(
            suffix_sequence("inyalah", slots),
            Some(vec!["i", "nya", "lah"])
        );
        assert_eq!(suffix_sequence("", slots), Some(vec![]));
        assert_eq!(
            suffix_sequence("nyakan", slots),
            None,
            "-kan never follows -nya"
        );
        assert_eq!(suffix_sequence("x", slots), None);
        let stems: Vec<String> = indonesian_stems("temu")
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        for s in [
            "temu",
            "menemu",
            "penemu",
            "bertemu",
            "pertemu",
            "mempertemu",
            "dipertemu",
        ] {
            assert!(stems.contains(&s.to_string()), "{s}");
        }
        assert_eq!(english_stems("urge"), vec!["urge", "urg"]);
        assert!(english_stems("ban").contains(&"bann".to_string()));
        assert!(english_stems("call on").is_empty());
    }

    #[test]
    fn a_tree_table_replaces_the_lists_it_names_and_keeps_the_rest() {
        let known = |r: &str| r == "meets";
        let lex = Lexicon::parse(
            "language = \"en\"\n[tree]\nsubject = [\"nsubj\", \"csubj\"]\nmax_tokens = 30\n",
            "en.toml",
            &known,
        )
        .unwrap();
        assert_eq!(lex.tree.subject, ["nsubj", "csubj"]);
        assert_eq!(lex.tree.max_tokens, 30);
        assert_eq!(lex.tree.passive_subject, ["nsubj:pass"]);
        let err = Lexicon::parse(
            "language = \"en\"\n[tree]\nsubjects = []\n",
            "en.toml",
            &known,
        )
        .err()
        .unwrap()
        .to_string();
        assert!(err.contains("en.toml") && err.contains("subjects"), "{err}");
    }

    #[test]
    fn unknown_relations_and_bad_toml_name_the_file() {
        let known = |r: &str| r == "meets";
        let err = Lexicon::parse(
            "language = \"en\"\n[[trigger]]\nid = \"x\"\nrelation = \"hugs\"\n",
            "en.toml",
            &known,
        )
        .err()
        .unwrap()
        .to_string();
        assert!(err.contains("en.toml:3") && err.contains("hugs"), "{err}");
        let err = Lexicon::parse(
            "language = \"en\"\n[[trigger]]\nid = 5\n",
            "en.toml",
            &known,
        )
        .err()
        .unwrap()
        .to_string();
        assert!(err.starts_with("en.toml:"), "{err}");
    }
}
