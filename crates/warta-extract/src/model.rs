//! The data that flows between pipeline stages.
//!
//! An [`Extraction`] is everything warta found in one article: the document's
//! metadata, the entities it names (each with its mentions and byte spans) and
//! the relations/events between them. It is what `warta extract` prints (one
//! JSON object per article, shaped like the gold files so both can be compared)
//! and what the RDF stage turns into triples.

use serde::{Deserialize, Serialize};

/// The languages warta has lexicons for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Indonesian (Bahasa Indonesia).
    Id,
    /// English.
    En,
}

impl Language {
    /// The BCP 47 tag used in RDF literals and JSON.
    pub fn tag(self) -> &'static str {
        match self {
            Language::Id => "id",
            Language::En => "en",
        }
    }

    /// Parses "id"/"en" (also "ind"/"eng", "indonesian"/"english").
    pub fn parse(s: &str) -> Option<Language> {
        match s.trim().to_ascii_lowercase().as_str() {
            "id" | "ind" | "in" | "indonesian" | "bahasa" => Some(Language::Id),
            "en" | "eng" | "english" => Some(Language::En),
            _ => None,
        }
    }
}

/// Entity types (the gold format's `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityType {
    Person,
    Country,
    Organization,
    GovernmentBody,
    City,
    Place,
    Media,
    Weapon,
}

impl EntityType {
    pub const ALL: [EntityType; 8] = [
        EntityType::Person,
        EntityType::Country,
        EntityType::Organization,
        EntityType::GovernmentBody,
        EntityType::City,
        EntityType::Place,
        EntityType::Media,
        EntityType::Weapon,
    ];

    /// The name used in the gold files, the gazetteer and the ontology class.
    pub fn name(self) -> &'static str {
        match self {
            EntityType::Person => "Person",
            EntityType::Country => "Country",
            EntityType::Organization => "Organization",
            EntityType::GovernmentBody => "GovernmentBody",
            EntityType::City => "City",
            EntityType::Place => "Place",
            EntityType::Media => "Media",
            EntityType::Weapon => "Weapon",
        }
    }

    pub fn parse(s: &str) -> Option<EntityType> {
        EntityType::ALL.into_iter().find(|t| t.name() == s)
    }

    /// Places events can happen in (the `location` role).
    pub fn is_place(self) -> bool {
        matches!(
            self,
            EntityType::City | EntityType::Country | EntityType::Place
        )
    }

    /// Types that can act: take part in meetings, condemn, block sanctions.
    pub fn is_actor(self) -> bool {
        !matches!(self, EntityType::Place | EntityType::Weapon)
    }
}

/// Document metadata, as stored on the `schema:NewsArticle` node.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// Lowercase hex sha256 of the normalised text.
    pub id: String,
    pub source: String,
    pub title: Option<String>,
    pub url: Option<String>,
    /// ISO date (YYYY-MM-DD) when known.
    pub published: Option<String>,
    pub language: Language,
    /// Publisher named in a dateline ("KONTAN.CO.ID - "), if any.
    pub publisher: Option<String>,
}

/// How a mention refers to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// A name: the gazetteer label or an alias, or a capitalised name.
    Name,
    /// A short form of an earlier name ("Putin" after "Vladimir Putin").
    ShortForm,
    /// An adjective of a country ("Russian", "North Korean").
    Demonym,
    /// A definite description ("negara tersebut", "the ministry").
    Description,
    /// A pronoun ("ia", "he").
    Pronoun,
}

impl MentionKind {
    pub const ALL: [MentionKind; 5] = [
        MentionKind::Name,
        MentionKind::ShortForm,
        MentionKind::Demonym,
        MentionKind::Description,
        MentionKind::Pronoun,
    ];

    /// The name in JSON and RDF (`short_form` ...).
    pub fn name(self) -> &'static str {
        match self {
            MentionKind::Name => "name",
            MentionKind::ShortForm => "short_form",
            MentionKind::Demonym => "demonym",
            MentionKind::Description => "description",
            MentionKind::Pronoun => "pronoun",
        }
    }

    pub fn parse(s: &str) -> Option<MentionKind> {
        MentionKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// One place an entity is named, by byte offsets into the article text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub kind: MentionKind,
}

/// A distinct real-world entity named in an article.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entity {
    /// Identifier within warta: the QID when linked, else a slug of the name
    /// (stable across articles, so the same unlinked entity merges in the store).
    pub id: String,
    pub qid: Option<String>,
    /// Preferred label in the article's language.
    pub label: String,
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    /// Labels by language tag, from the gazetteer (for RDF).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub labels: Vec<(String, String)>,
    pub mentions: Vec<Mention>,
    /// The local ids this entity had before `local-links.tsv` linked it to its
    /// QID (kept in RDF as `owl:sameAs <base>entity/<local id>`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub local_ids: Vec<String>,
}

/// Polarity of an event: did it happen (or is it said to), or is it negated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    Positive,
    Negative,
}

/// Modality: asserted fact, intention/plan, or mere possibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    Asserted,
    Planned,
    Possible,
}

impl Polarity {
    pub fn name(self) -> &'static str {
        match self {
            Polarity::Positive => "positive",
            Polarity::Negative => "negative",
        }
    }

    pub fn parse(s: &str) -> Option<Polarity> {
        [Polarity::Positive, Polarity::Negative]
            .into_iter()
            .find(|p| p.name() == s)
    }
}

impl Modality {
    pub fn name(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Planned => "planned",
            Modality::Possible => "possible",
        }
    }

    pub fn parse(s: &str) -> Option<Modality> {
        [Modality::Asserted, Modality::Planned, Modality::Possible]
            .into_iter()
            .find(|m| m.name() == s)
    }
}

/// One extracted relation or event.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Relation {
    /// Entity id of the subject (agent).
    pub subject: String,
    /// Catalogue name ("meets", "condemns" ...).
    pub relation: String,
    /// Entity id of the object, or a weapon class for `testsWeapon`.
    pub object: String,
    pub polarity: Polarity,
    pub modality: Modality,
    /// The time expression as written ("pekan lalu", "14 January 2024").
    pub time: Option<String>,
    /// The resolved date (YYYY-MM-DD or YYYY-MM) when it could be resolved.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date: Option<String>,
    /// Entity id of the place.
    pub location: Option<String>,
    /// Entity id of who said it (reported speech).
    pub attributed_to: Option<String>,
    /// For `holdsPosition`: the normalised position.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub position: Option<String>,
    pub confidence: f64,
    /// Id of the rule that fired.
    pub rule: String,
    /// The trigger word as written.
    pub trigger: String,
    /// The evidence span (the smallest stretch of text holding trigger and arguments).
    pub evidence: String,
    pub start: usize,
    pub end: usize,
    /// The whole sentence, for provenance.
    pub sentence: String,
}

/// Everything extracted from one article.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Extraction {
    pub document: DocumentMeta,
    pub entities: Vec<Entity>,
    pub relations: Vec<Relation>,
}

impl Extraction {
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }
}
