//! The store's graph layout (layout 2): what lives in which graph, and the
//! terms it is written with.
//!
//! Each fact is stored once:
//!
//! ```text
//!  the default graph       the merged knowledge layer, one description per node
//!      entities   a warta:Person ; rdfs:label "…"@lang ; warta:displayLabel "…" ;
//!                 skos:altLabel "…"@lang ; owl:sameAs wd:Q… (and the local IRIs linked to it)
//!      events     a warta:Meeting ; warta:agent ; warta:target | warta:weapon ;
//!                 warta:participant (symmetric) ; polarity ; modality ; cameoCode ;
//!                 ploverCategory ; position ; date      (what identifies the event)
//!                 timeText ; location ; attributedTo ; confidence   (union of its readings)
//!      weapons    a warta:Weapon ; rdfs:label ; warta:displayLabel
//!      direct     ent:Q423 warta:condemns ent:Q37470   (asserted positive events)
//!
//!  <base>doc/<sha256>      one graph per article: what only that article says
//!      the document  a schema:NewsArticle ; headline ; datePublished ; sha256 … ;
//!                    schema:text (the normalised text every offset points into)
//!      readings      rd:… warta:readingOf ent:… ;      what this article says of one entity
//!                    nameSpan "120-131" ; shortFormSpan ; demonymSpan ;
//!                    descriptionSpan ; pronounSpan        (its mentions, byte offsets)
//!                    readingType, readingLabel            (only where not the gazetteer's)
//!                    readingAltLabel "…"@lang              (other names it is written with)
//!                    readingLocalId                        (a links-file trace)
//!      attestations  ev:… warta:attestedBy att:… ;
//!                    att:… prov:wasDerivedFrom doc:… ; sentenceText ; evidenceText ;
//!                    startOffset ; endOffset ; rule ; trigger ; confidence ;
//!                    timeText ; location ; attributedTo     (this article's reading)
//! ```
//!
//! The knowledge layer is a pure union of what each article contributes
//! ([`crate::rdf`] computes an article's contribution from its extraction), and
//! an article graph holds everything needed to recompute that contribution
//! ([`crate::readback`]). So removing an article can drop exactly the facts no
//! other article supports ([`crate::store::KgStore::remove_documents`]), the
//! union default graph holds no duplicates (a COUNT counts each fact once), and
//! shards ingested apart merge by plain union.

use oxigraph::model::NamedNodeRef;

/// The layout this version writes. Layout 1 (warta 0.1) repeated every entity
/// and event description in each article's graph.
pub const LAYOUT_VERSION: u32 = 2;

macro_rules! ont_term {
    ($name:ident, $local:literal) => {
        pub const $name: NamedNodeRef<'static> =
            NamedNodeRef::new_unchecked(concat!("https://w3id.org/warta/ontology#", $local));
    };
}

// Store metadata (in the knowledge graph, on the knowledge graph's IRI).
ont_term!(LAYOUT_VERSION_P, "layoutVersion");
// Entities.
ont_term!(DISPLAY_LABEL, "displayLabel");
// Mentions.
ont_term!(MENTION_OF, "mentionOf");
ont_term!(MENTION_TEXT, "mentionText");
ont_term!(MENTION_KIND, "mentionKind");
ont_term!(IN_DOCUMENT, "inDocument");
ont_term!(START_OFFSET, "startOffset");
ont_term!(END_OFFSET, "endOffset");
// Readings.
ont_term!(READING_OF, "readingOf");
ont_term!(READING_TYPE, "readingType");
ont_term!(READING_LABEL, "readingLabel");
ont_term!(READING_GAZETTEER_LABEL, "readingGazetteerLabel");
ont_term!(READING_LOCAL_ID, "readingLocalId");
ont_term!(READING_ALT_LABEL, "readingAltLabel");
// Mention spans on readings, one property per kind of mention (all
// sub-properties of warta:mentionSpan in the ontology).
ont_term!(NAME_SPAN, "nameSpan");
ont_term!(SHORT_FORM_SPAN, "shortFormSpan");
ont_term!(DEMONYM_SPAN, "demonymSpan");
ont_term!(DESCRIPTION_SPAN, "descriptionSpan");
ont_term!(PRONOUN_SPAN, "pronounSpan");

/// The span property of a kind of mention.
pub fn span_property(kind: warta_extract::model::MentionKind) -> NamedNodeRef<'static> {
    use warta_extract::model::MentionKind as K;
    match kind {
        K::Name => NAME_SPAN,
        K::ShortForm => SHORT_FORM_SPAN,
        K::Demonym => DEMONYM_SPAN,
        K::Description => DESCRIPTION_SPAN,
        K::Pronoun => PRONOUN_SPAN,
    }
}

/// The kind of mention a span property stands for.
pub fn span_kind(p: NamedNodeRef<'_>) -> Option<warta_extract::model::MentionKind> {
    warta_extract::model::MentionKind::ALL
        .into_iter()
        .find(|k| span_property(*k) == p)
}

/// A mention's byte span as written: `"120-131"`.
pub fn span_literal(start: usize, end: usize) -> oxigraph::model::Literal {
    oxigraph::model::Literal::new_simple_literal(format!("{start}-{end}"))
}

/// The (start, end) of a span literal's value.
pub fn parse_span(value: &str) -> Option<(usize, usize)> {
    let (a, b) = value.split_once('-')?;
    let (start, end) = (a.parse().ok()?, b.parse().ok()?);
    (start <= end).then_some((start, end))
}
// Events.
ont_term!(AGENT, "agent");
ont_term!(TARGET, "target");
ont_term!(WEAPON, "weapon");
ont_term!(PARTICIPANT, "participant");
ont_term!(POLARITY, "polarity");
ont_term!(MODALITY, "modality");
ont_term!(CAMEO_CODE, "cameoCode");
ont_term!(PLOVER_CATEGORY, "ploverCategory");
ont_term!(POSITION, "position");
ont_term!(DATE, "date");
ont_term!(TIME_TEXT, "timeText");
ont_term!(LOCATION, "location");
ont_term!(ATTRIBUTED_TO, "attributedTo");
ont_term!(CONFIDENCE, "confidence");
ont_term!(ATTESTED_BY, "attestedBy");
// Attestations.
ont_term!(SENTENCE_TEXT, "sentenceText");
ont_term!(EVIDENCE_TEXT, "evidenceText");
ont_term!(RULE, "rule");
ont_term!(TRIGGER, "trigger");
// Documents.
ont_term!(SHA256, "sha256");
ont_term!(SOURCE_FILE, "sourceFile");
// Classes.
ont_term!(WEAPON_CLASS, "Weapon");

pub const NEWS_ARTICLE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://schema.org/NewsArticle");
pub const HEADLINE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://schema.org/headline");
pub const DATE_PUBLISHED: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://schema.org/datePublished");
pub const PUBLISHER: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://schema.org/publisher");
pub const URL: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("https://schema.org/url");
pub const IN_LANGUAGE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://schema.org/inLanguage");
pub const TEXT: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("https://schema.org/text");
pub const WAS_DERIVED_FROM: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/prov#wasDerivedFrom");
pub const SAME_AS: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#sameAs");
pub const ALT_LABEL: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#altLabel");
