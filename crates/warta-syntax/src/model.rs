//! The model: tagger + parser, its binary file format, and the public
//! [`Model::analyse`] entry point.
//!
//! File layout (all integers little-endian):
//!
//! ```text
//! magic    8 bytes  "WARTASYN"
//! version  u32      FORMAT_VERSION
//! language str      (u32 length + UTF-8)
//! about    str      training data, command and scores
//! styles   u32 n, n str, u16 default   treebank conventions (n may be 0)
//! labels   u32 n, then n str     relation labels in class order
//! root     u16      index of "root" in labels
//! fallback 17 x u16 label for a word left headless, by UPOS
//! tag dictionary    u32 slots, u64 keys[slots], u64 tag sets[slots]
//! tagger weights    u32 classes, u32 slots (power of two), u32 features,
//!                   u32 entries, occupancy bitmap (slots / 8 bytes), then
//!                   per occupied slot in order: u32 key fingerprints,
//!                   u8 probe distances, u8 row lengths - 1; then u8 classes
//!                   and i16 weights of all rows
//! fine tags         u32 n (0 = none), then n str, a tag dictionary, weights
//! parser weights    same layout as the tagger weights
//! checksum u64      over every byte before it
//! ```

use std::path::Path;

use thiserror::Error;

use crate::features::{ParseInput, WordAtoms};
use crate::labels::Upos;
use crate::parser::Parser;
use crate::perceptron::Weights;
use crate::tagger::{TagDictionary, Tagger};

pub const MAGIC: &[u8; 8] = b"WARTASYN";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Error)]
pub enum ModelError {
    #[error("{path}: cannot read model: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("not a warta-syntax model (bad magic number)")]
    BadMagic,
    #[error("model format version {found}, this build reads version {FORMAT_VERSION}")]
    Version { found: u32 },
    #[error("model truncated while reading {what}")]
    Truncated { what: &'static str },
    #[error("model checksum mismatch: the file is damaged")]
    Checksum,
    #[error("model is corrupt: {0}")]
    Corrupt(String),
    #[error("{path}: {source}")]
    InFile {
        path: String,
        #[source]
        source: Box<ModelError>,
    },
}

/// Appends little-endian values to a byte buffer.
#[derive(Default)]
pub struct ByteWriter {
    buffer: Vec<u8>,
}

impl ByteWriter {
    pub fn u16(&mut self, v: u16) {
        self.buffer.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.buffer.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.buffer.extend_from_slice(&v.to_le_bytes());
    }
    pub fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.buffer.extend_from_slice(s.as_bytes());
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.buffer.extend_from_slice(b);
    }
    pub fn u64s(&mut self, values: &[u64]) {
        values.iter().for_each(|v| self.u64(*v));
    }
    pub fn u32s(&mut self, values: &[u32]) {
        values.iter().for_each(|v| self.u32(*v));
    }
    pub fn i16s(&mut self, values: &[i16]) {
        values.iter().for_each(|v| self.buffer.extend_from_slice(&v.to_le_bytes()));
    }
    pub fn into_bytes(self) -> Vec<u8> {
        self.buffer
    }
}

/// Reads little-endian values, failing with [`ModelError::Truncated`].
pub struct ByteReader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> ByteReader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        ByteReader { data, at: 0 }
    }

    pub fn bytes(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], ModelError> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.data.len()).ok_or(ModelError::Truncated { what })?;
        let slice = &self.data[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], ModelError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.bytes(N, what)?);
        Ok(out)
    }

    pub fn u16(&mut self, what: &'static str) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }
    pub fn u32(&mut self, what: &'static str) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }
    pub fn u64(&mut self, what: &'static str) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }
    pub fn str(&mut self, what: &'static str) -> Result<String, ModelError> {
        let len = self.u32(what)? as usize;
        let bytes = self.bytes(len, what)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| ModelError::Corrupt(format!("{what}: not UTF-8")))
    }
    pub fn u64s(&mut self, n: usize, what: &'static str) -> Result<Vec<u64>, ModelError> {
        let raw = self.bytes(n.checked_mul(8).ok_or(ModelError::Truncated { what })?, what)?;
        Ok(raw.chunks_exact(8).map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])).collect())
    }
    pub fn u32s(&mut self, n: usize, what: &'static str) -> Result<Vec<u32>, ModelError> {
        let raw = self.bytes(n.checked_mul(4).ok_or(ModelError::Truncated { what })?, what)?;
        Ok(raw.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    }
    pub fn u16s(&mut self, n: usize, what: &'static str) -> Result<Vec<u16>, ModelError> {
        let raw = self.bytes(n.checked_mul(2).ok_or(ModelError::Truncated { what })?, what)?;
        Ok(raw.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect())
    }
    pub fn i16s(&mut self, n: usize, what: &'static str) -> Result<Vec<i16>, ModelError> {
        let raw = self.bytes(n.checked_mul(2).ok_or(ModelError::Truncated { what })?, what)?;
        Ok(raw.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]])).collect())
    }
    pub fn remaining(&self) -> usize {
        self.data.len() - self.at
    }
}

/// Word-at-a-time multiplicative checksum: fast enough to check 20 MB in a
/// few milliseconds on every load.
fn checksum(data: &[u8]) -> u64 {
    let mut h: u64 = 0x243f_6a88_85a3_08d3;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let word = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(23);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ data.len() as u64
}

/// One analysed word. `head` is 1-based like CoNLL-U: 0 means the root,
/// otherwise the position (1..=n) of the head word in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'m> {
    pub upos: Upos,
    pub head: usize,
    /// Relation label with its subtype (`nsubj:pass`), interned in the model.
    pub deprel: &'m str,
}

/// A first tagger whose tags guide the UPOS tagger (stacking: they show it
/// the right context) and feed the parser: XPOS for English (PTB tags tell
/// VBN from VBD, which UPOS does not), a first UPOS pass for Indonesian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FineTagger {
    pub names: Vec<String>,
    pub tagger: Tagger,
}

/// A loaded tagger + parser for one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    pub language: String,
    /// Free text: training data, command, scores.
    pub about: String,
    /// Treebank conventions the parser was trained on (empty: one), and the
    /// one `analyse` follows.
    pub styles: Vec<String>,
    pub default_style: u8,
    pub tagger: Tagger,
    pub fine: Option<FineTagger>,
    pub parser: Parser,
}

impl Model {
    /// Loads a model file.
    pub fn load(path: impl AsRef<Path>) -> Result<Model, ModelError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io { path: name.clone(), source })?;
        Model::from_bytes(&bytes).map_err(|e| ModelError::InFile { path: name, source: Box::new(e) })
    }

    /// Decodes a model, checking magic, version, checksum and table shapes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        if bytes.len() < MAGIC.len() + 4 + 8 || &bytes[..8] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let (body, tail) = bytes.split_at(bytes.len() - 8);
        let mut input = ByteReader::new(body);
        input.bytes(8, "magic")?;
        let found = input.u32("version")?;
        if found != FORMAT_VERSION {
            return Err(ModelError::Version { found });
        }
        let stored = u64::from_le_bytes([tail[0], tail[1], tail[2], tail[3], tail[4], tail[5], tail[6], tail[7]]);
        if stored != checksum(body) {
            return Err(ModelError::Checksum);
        }
        let language = input.str("language")?;
        let about = input.str("about")?;
        let style_count = input.u32("styles")? as usize;
        if style_count > 255 {
            return Err(ModelError::Corrupt(format!("{style_count} styles")));
        }
        let styles = (0..style_count).map(|_| input.str("styles")).collect::<Result<Vec<_>, _>>()?;
        let default_style = input.u16("styles")?;
        if !styles.is_empty() && default_style as usize >= styles.len() {
            return Err(ModelError::Corrupt("default style out of range".into()));
        }
        let default_style = default_style as u8;
        let parser_head = read_parser_labels(&mut input)?;
        let dictionary = TagDictionary::read(&mut input)?;
        let tagger_weights = Weights::read(&mut input, "tagger weights")?;
        let fine = read_fine_tagger(&mut input)?;
        let parser_weights = Weights::read(&mut input, "parser weights")?;
        if input.remaining() != 0 {
            return Err(ModelError::Corrupt(format!("{} unexpected bytes before the checksum", input.remaining())));
        }
        if tagger_weights.n_classes() != Upos::COUNT {
            return Err(ModelError::Corrupt(format!("tagger has {} classes, expected {}", tagger_weights.n_classes(), Upos::COUNT)));
        }
        let (labels, root_label, fallback) = parser_head;
        if parser_weights.n_classes() != crate::parser::transition::class_count(labels.len()) {
            return Err(ModelError::Corrupt("parser classes do not match its labels".into()));
        }
        Ok(Model {
            language,
            about,
            styles,
            default_style,
            tagger: Tagger { weights: tagger_weights, dictionary },
            fine,
            parser: Parser { weights: parser_weights, labels, root_label, fallback },
        })
    }

    /// Encodes the model in the format above.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = ByteWriter::default();
        out.bytes(MAGIC);
        out.u32(FORMAT_VERSION);
        out.str(&self.language);
        out.str(&self.about);
        out.u32(self.styles.len() as u32);
        self.styles.iter().for_each(|s| out.str(s));
        out.u16(u16::from(self.default_style));
        out.u32(self.parser.labels.len() as u32);
        self.parser.labels.iter().for_each(|l| out.str(l));
        out.u16(self.parser.root_label);
        self.parser.fallback.iter().for_each(|l| out.u16(*l));
        self.tagger.dictionary.write(&mut out);
        self.tagger.weights.write(&mut out);
        match &self.fine {
            None => out.u32(0),
            Some(fine) => {
                out.u32(fine.names.len() as u32);
                fine.names.iter().for_each(|n| out.str(n));
                fine.tagger.dictionary.write(&mut out);
                fine.tagger.weights.write(&mut out);
            }
        }
        self.parser.weights.write(&mut out);
        let mut bytes = out.into_bytes();
        let sum = checksum(&bytes);
        bytes.extend_from_slice(&sum.to_le_bytes());
        bytes
    }

    /// Tags a sentence of UD word forms.
    pub fn tag(&self, words: &[&str]) -> Vec<Upos> {
        let atoms: Vec<WordAtoms> = words.iter().map(|w| WordAtoms::new(w)).collect();
        self.tag_atoms(&atoms).0
    }

    /// UPOS tags and the guide tags (empty without a guide tagger).
    pub fn tag_atoms(&self, atoms: &[WordAtoms]) -> (Vec<Upos>, Vec<u8>) {
        let guide = self.fine.as_ref().map_or(Vec::new(), |f| f.tagger.tag_ids(atoms, &[]));
        (self.tagger.tag(atoms, &guide), guide)
    }

    /// Tags and parses a sentence of UD word forms (see [`crate::tokens`] to
    /// split English clitics and hyphens the UD way). Deterministic; an empty
    /// input gives an empty output.
    pub fn analyse(&self, words: &[&str]) -> Vec<Word<'_>> {
        let atoms: Vec<WordAtoms> = words.iter().map(|w| WordAtoms::new(w)).collect();
        let (tags, guide) = self.tag_atoms(&atoms);
        self.parse_tagged(&atoms, &tags, &guide, None)
    }

    /// The style index of a treebank name (`"gsd"`), if the model knows it.
    pub fn style_index(&self, name: &str) -> Option<u8> {
        self.styles.iter().position(|s| s == name).map(|i| i as u8)
    }

    /// Parses with given UPOS and guide tags (gold UPOS in experiments),
    /// in treebank `style` (None: the model's default).
    pub fn parse_tagged(&self, atoms: &[WordAtoms], tags: &[Upos], guide: &[u8], style: Option<u8>) -> Vec<Word<'_>> {
        if atoms.is_empty() {
            return Vec::new();
        }
        let style = if self.styles.is_empty() { None } else { Some(style.unwrap_or(self.default_style)) };
        let input = ParseInput::new(atoms, tags, guide, style);
        let state = self.parser.parse(&input, tags);
        (1..=atoms.len()).map(|i| Word { upos: tags[i - 1], head: state.heads[i] as usize, deprel: &self.parser.labels[state.labels[i] as usize] }).collect()
    }

    /// Approximate heap size of the loaded model.
    pub fn bytes_in_memory(&self) -> usize {
        let fine = self.fine.as_ref().map_or(0, |f| f.tagger.weights.bytes_in_memory() + f.tagger.dictionary.len() * 32);
        self.tagger.weights.bytes_in_memory() + self.parser.weights.bytes_in_memory() + self.tagger.dictionary.len() * 32 + fine
    }
}

fn read_fine_tagger(input: &mut ByteReader) -> Result<Option<FineTagger>, ModelError> {
    let count = input.u32("fine tags")? as usize;
    if count == 0 {
        return Ok(None);
    }
    if count > 256 {
        return Err(ModelError::Corrupt(format!("{count} fine tags (at most 256)")));
    }
    let names = (0..count).map(|_| input.str("fine tags")).collect::<Result<Vec<_>, _>>()?;
    let dictionary = TagDictionary::read(input)?;
    let weights = Weights::read(input, "fine tagger weights")?;
    if weights.n_classes() != count {
        return Err(ModelError::Corrupt("fine tagger classes do not match its tags".into()));
    }
    Ok(Some(FineTagger { names, tagger: Tagger { weights, dictionary } }))
}

type ParserHead = (Vec<String>, u16, [u16; Upos::COUNT]);

fn read_parser_labels(input: &mut ByteReader) -> Result<ParserHead, ModelError> {
    let count = input.u32("labels")? as usize;
    if count == 0 || count > 127 {
        return Err(ModelError::Corrupt(format!("{count} relation labels (1..=127 supported)")));
    }
    let labels = (0..count).map(|_| input.str("labels")).collect::<Result<Vec<_>, _>>()?;
    let root_label = input.u16("root label")?;
    if labels.get(root_label as usize).map(String::as_str) != Some("root") {
        return Err(ModelError::Corrupt("root label index does not name \"root\"".into()));
    }
    let mut fallback = [0u16; Upos::COUNT];
    for slot in fallback.iter_mut() {
        *slot = input.u16("fallback labels")?;
        if *slot as usize >= count || *slot == root_label {
            return Err(ModelError::Corrupt("fallback label out of range".into()));
        }
    }
    Ok((labels, root_label, fallback))
}
