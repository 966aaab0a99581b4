//! # warta-syntax
//!
//! Universal POS tagging and labelled dependency parsing for Indonesian and
//! English, trained on Universal Dependencies, in pure Rust with no run-time
//! downloads. Models are small binary files (`ontology/models/*.syntax`).
//!
//! ```text
//!  token ──tokens::split_token──▶ UD words ("do" "n't", "US" "-" "China")
//!                                     │
//!                     features::WordAtoms (hashes of form, affixes, shape)
//!                                     │
//!         guide tagger (English XPOS / Indonesian first UPOS pass)
//!                                     │ right-context tags
//!         UPOS tagger: greedy left-to-right averaged perceptron ──▶ UPOS
//!                                     │
//!         parser: greedy arc-eager, averaged perceptron over Zhang & Nivre
//!                 (2011) features + guide tags (+ treebank style) ──▶ heads, relations
//!                                     │
//!                            Vec<Word { upos, head, deprel }>
//! ```
//!
//! - **Tagger** ([`tagger`]): averaged perceptron (Collins 2002) over word,
//!   lower-cased form, prefixes/suffixes, shape, a ±2 word window, the two
//!   previous predicted tags and ambiguity classes from a tag dictionary;
//!   stacked on a guide tagger whose tags show it the right context.
//! - **Parser** ([`parser`]): arc-eager transitions with a root node that takes
//!   exactly one dependent; trained with the dynamic oracle and error
//!   exploration of Goldberg & Nivre (2012, 2013) on jackknifed (predicted)
//!   tags; non-projective training trees are projectivised by lifting. A
//!   model trained on treebanks that disagree (Indonesian GSD vs CSUI/PUD)
//!   learns one style per treebank and parses in its default style.
//! - **Weights** ([`perceptron`]): 64-bit hashed feature keys, exact integer
//!   averaging, quantised to i16 and pruned when frozen; the frozen table is
//!   stored as is, so loading is a few bulk copies ([`model`]).
//!
//! ```no_run
//! let model = warta_syntax::Model::load("ontology/models/en.syntax")?;
//! for word in model.analyse(&["Russia", "condemned", "the", "sanctions", "."]) {
//!     println!("{} {} {}", word.upos, word.head, word.deprel);
//! }
//! # Ok::<(), warta_syntax::ModelError>(())
//! ```
//!
//! Heads are 1-based like CoNLL-U: 0 is the root, `i` the i-th input word.

pub mod conllu;
pub mod eval;
pub mod features;
pub mod invariants;
pub mod labels;
pub mod model;
pub mod parser;
pub mod perceptron;
pub mod tagger;
pub mod tokens;
pub mod train;

pub use labels::Upos;
pub use model::{Model, ModelError, Word};
pub use tokens::{split_token, Language};
