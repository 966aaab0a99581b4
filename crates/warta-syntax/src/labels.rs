//! Label sets: the 17 universal POS tags as an enum, dependency relations as
//! strings interned in a model's label table (subtypes such as `nsubj:pass`,
//! `obl:agent`, `nmod:poss`, `acl:relcl`, `compound:prt` are kept whole).

use std::fmt;

/// Universal part-of-speech tag (<https://universaldependencies.org/u/pos/>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Upos {
    Adj = 0,
    Adp,
    Adv,
    Aux,
    Cconj,
    Det,
    Intj,
    Noun,
    Num,
    Part,
    Pron,
    Propn,
    Punct,
    Sconj,
    Sym,
    Verb,
    X,
}

impl Upos {
    pub const COUNT: usize = 17;
    pub const ALL: [Upos; Upos::COUNT] = [
        Upos::Adj,
        Upos::Adp,
        Upos::Adv,
        Upos::Aux,
        Upos::Cconj,
        Upos::Det,
        Upos::Intj,
        Upos::Noun,
        Upos::Num,
        Upos::Part,
        Upos::Pron,
        Upos::Propn,
        Upos::Punct,
        Upos::Sconj,
        Upos::Sym,
        Upos::Verb,
        Upos::X,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Upos::Adj => "ADJ",
            Upos::Adp => "ADP",
            Upos::Adv => "ADV",
            Upos::Aux => "AUX",
            Upos::Cconj => "CCONJ",
            Upos::Det => "DET",
            Upos::Intj => "INTJ",
            Upos::Noun => "NOUN",
            Upos::Num => "NUM",
            Upos::Part => "PART",
            Upos::Pron => "PRON",
            Upos::Propn => "PROPN",
            Upos::Punct => "PUNCT",
            Upos::Sconj => "SCONJ",
            Upos::Sym => "SYM",
            Upos::Verb => "VERB",
            Upos::X => "X",
        }
    }

    pub fn parse(text: &str) -> Option<Upos> {
        Upos::ALL.iter().copied().find(|u| u.as_str() == text)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The tag with this index (`index() < COUNT`); `None` past the end.
    pub fn from_index(index: usize) -> Option<Upos> {
        Upos::ALL.get(index).copied()
    }
}

impl fmt::Display for Upos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The universal part of a relation: `nsubj:pass` -> `nsubj`. CoNLL 2018 LAS
/// compares these.
pub fn universal_relation(deprel: &str) -> &str {
    deprel.split_once(':').map_or(deprel, |(universal, _)| universal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upos_round_trip() {
        for (i, tag) in Upos::ALL.iter().enumerate() {
            assert_eq!(tag.index(), i);
            assert_eq!(Upos::parse(tag.as_str()), Some(*tag));
            assert_eq!(Upos::from_index(i), Some(*tag));
        }
        assert_eq!(Upos::parse("NN"), None);
        assert_eq!(Upos::from_index(17), None);
    }

    #[test]
    fn universal_part_of_relations() {
        assert_eq!(universal_relation("nsubj:pass"), "nsubj");
        assert_eq!(universal_relation("obl"), "obl");
        assert_eq!(universal_relation("acl:relcl"), "acl");
    }
}
