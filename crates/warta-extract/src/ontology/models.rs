//! The tagger + parser models of `ontology/models/` (`en.syntax`,
//! `id.syntax`; see `crates/warta-syntax`).
//!
//! They are data of the ontology like the lexicons, so they come from the
//! same place: the copy compiled into the binary, or `--ontology DIR`
//! (`DIR/models/<lang>.syntax`). Unlike the lexicons they are large (14 and
//! 6 MB, ~50 and ~20 ms to decode), and only a sentence that needs a tree
//! needs them: each language's model is decoded on first use and kept for
//! the life of the process, so a command that parses nothing never pays.

use crate::model::Language;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use warta_syntax::Model;

static EMBEDDED_EN: &[u8] = include_bytes!("../../../../ontology/models/en.syntax");
static EMBEDDED_ID: &[u8] = include_bytes!("../../../../ontology/models/id.syntax");

/// The embedded models, decoded once per process (every [`SyntaxModels`]
/// made by [`SyntaxModels::embedded`] shares them).
static DECODED_EN: OnceLock<Result<Model, ModelLoadError>> = OnceLock::new();
static DECODED_ID: OnceLock<Result<Model, ModelLoadError>> = OnceLock::new();

/// A model file that could not be read or decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ModelLoadError {
    /// The file, as the user would name it (`ontology/models/en.syntax` for
    /// the built-in copy).
    pub file: String,
    pub message: String,
}

/// The file name of a language's model inside an ontology folder.
pub fn model_file(lang: Language) -> String {
    format!("models/{}.syntax", lang.tag())
}

/// Where the models come from, and the ones decoded so far.
#[derive(Debug, Default)]
pub struct SyntaxModels {
    /// `None`: the copies compiled into the binary.
    dir: Option<PathBuf>,
    /// Turned off: no model is ever loaded, roles stay surface roles.
    off: bool,
    en: OnceLock<Result<Model, ModelLoadError>>,
    id: OnceLock<Result<Model, ModelLoadError>>,
}

impl SyntaxModels {
    /// The models compiled into the binary.
    pub fn embedded() -> SyntaxModels {
        SyntaxModels::default()
    }

    /// The models of an ontology folder (`DIR/models/en.syntax`,
    /// `DIR/models/id.syntax`). Nothing is read until a model is asked for.
    pub fn from_dir(dir: &Path) -> SyntaxModels {
        SyntaxModels {
            dir: Some(dir.to_path_buf()),
            ..SyntaxModels::default()
        }
    }

    /// No models: extraction keeps to surface roles (faster; see the
    /// README), and commands that need a tree say syntax is off.
    pub fn off() -> SyntaxModels {
        SyntaxModels {
            off: true,
            ..SyntaxModels::default()
        }
    }

    /// Whether syntax is turned off ([`SyntaxModels::off`]).
    pub fn is_off(&self) -> bool {
        self.off
    }

    /// The language's model, decoded on the first call; a missing or damaged
    /// file gives the same error on every call.
    pub fn get(&self, lang: Language) -> Result<&Model, ModelLoadError> {
        if self.off {
            return Err(ModelLoadError {
                file: model_file(lang),
                message: "syntax is turned off (--no-syntax)".to_string(),
            });
        }
        let cell = match (&self.dir, lang) {
            (None, Language::En) => &DECODED_EN,
            (None, Language::Id) => &DECODED_ID,
            (Some(_), Language::En) => &self.en,
            (Some(_), Language::Id) => &self.id,
        };
        cell.get_or_init(|| self.load(lang))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Whether the language's model has been decoded (for tests that check
    /// a command did not pay for it).
    pub fn is_loaded(&self, lang: Language) -> bool {
        match (&self.dir, lang) {
            (None, Language::En) => DECODED_EN.get().is_some(),
            (None, Language::Id) => DECODED_ID.get().is_some(),
            (Some(_), Language::En) => self.en.get().is_some(),
            (Some(_), Language::Id) => self.id.get().is_some(),
        }
    }

    fn load(&self, lang: Language) -> Result<Model, ModelLoadError> {
        let name = model_file(lang);
        match &self.dir {
            None => {
                let bytes = match lang {
                    Language::En => EMBEDDED_EN,
                    Language::Id => EMBEDDED_ID,
                };
                Model::from_bytes(bytes).map_err(|e| ModelLoadError {
                    file: format!("ontology/{name}"),
                    message: e.to_string(),
                })
            }
            Some(dir) => {
                let path = dir.join(&name);
                let file = path.display().to_string();
                let bytes = std::fs::read(&path).map_err(|e| ModelLoadError {
                    file: file.clone(),
                    message: format!("cannot read the syntax model: {e}"),
                })?;
                Model::from_bytes(&bytes).map_err(|e| ModelLoadError {
                    file,
                    message: e.to_string(),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_models_decode_and_know_their_language() {
        let models = SyntaxModels::embedded();
        let en = models.get(Language::En).expect("en model");
        assert_eq!(en.language, "en");
        let id = models.get(Language::Id).expect("id model");
        assert_eq!(id.language, "id");
        assert!(models.is_loaded(Language::En) && models.is_loaded(Language::Id));
    }

    #[test]
    fn a_missing_model_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let models = SyntaxModels::from_dir(dir.path());
        assert!(!models.is_loaded(Language::En));
        let err = models.get(Language::En).expect_err("no file");
        assert!(err.file.ends_with("models/en.syntax"), "{err}");
        assert!(err.message.contains("cannot read"), "{err}");
        // The failure is remembered, not retried.
        assert_eq!(models.get(Language::En).expect_err("still none"), err);
    }

    #[test]
    fn a_damaged_model_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("models")).expect("mkdir");
        let mut bytes = EMBEDDED_ID.to_vec();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xff;
        std::fs::write(dir.path().join("models/id.syntax"), &bytes).expect("write");
        std::fs::write(dir.path().join("models/en.syntax"), b"not a model").expect("write");
        let models = SyntaxModels::from_dir(dir.path());
        let err = models.get(Language::Id).expect_err("damaged");
        assert!(err.file.ends_with("models/id.syntax"), "{err}");
        assert!(err.message.contains("checksum"), "{err}");
        let err = models.get(Language::En).expect_err("not a model");
        assert!(
            err.to_string()
                .contains("en.syntax: not a warta-syntax model"),
            "{err}"
        );
    }
}
