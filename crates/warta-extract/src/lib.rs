//! warta-extract: a news article in, an [`model::Extraction`] out.
//!
//! This is warta's extraction core. It reads Indonesian and English
//! international-politics articles, finds the people, countries,
//! organisations and places they name, links them to Wikidata, and finds the
//! events between them with time, place, attribution, polarity, modality and
//! provenance (sentence and byte offsets). It has no database and no network:
//! the graph side (`warta-graph`) turns extractions into RDF and stores them.
//!
//! The pipeline, one module per stage in the order they run, data flowing one
//! way (a stage reads only what the stages above it produced):
//!
//! ```text
//!  input      files, directories, JSON Lines feeds, stdin  ->  Article
//!    |
//!  text       sentences, titles, boilerplate; tokens with byte spans
//!    |
//!  syntax     UD words, UPOS tags and a dependency tree per sentence,
//!    |        on demand (the stages below may ask; extract does not yet)
//!  mentions   gazetteer names, titled persons, capitalised names,
//!    |        acronyms, descriptions                       ->  Mention
//!  entities   coreference within the article, Wikidata QIDs ->  Entity
//!    |
//!  relations  trigger lexicons, clause units, roles per voice,
//!    |        polarity/modality/time/place/attribution     ->  Event
//!  extract    the stages above, per article                ->  Extraction
//! ```
//!
//! Beside the pipeline, reading what it produced and never called by it:
//! [`explain`] (why a sentence gave what it gave, and the rules that almost
//! fired) and [`eval`] (precision, recall and F1 against gold). [`ontology`]
//! loads the data every stage uses: the relation catalogue from the OWL
//! ontology, the lexicons, titles, descriptions, positions, local links and
//! the gazetteer, each validated with errors that name file and line.

pub mod entities;
pub mod eval;
pub mod explain;
pub mod extract;
pub mod input;
pub mod mentions;
pub mod model;
pub mod ontology;
pub mod relations;
pub mod syntax;
pub mod text;
pub mod vocab;

pub use explain::nearmiss;
pub use relations::time;
