//! Property tests of the extraction invariants on generated articles: the
//! lexicons' own example sentences recombined, with gazetteer names swapped
//! for others of the same type, noise characters sprinkled in (zero-width
//! and bidi marks, combining accents, emoji, control characters, stray
//! quotes and brackets, CR/LF and tabs), and very short and very long
//! inputs. Each article goes the way a file does (`read_bytes`, so
//! normalisation runs), and must give an extraction that keeps
//! [`invariant_violations`] empty and is the same twice.
//!
//! `PROPTEST_CASES=2000 cargo test --release -p warta-extract --test
//! properties` runs a longer campaign; failures are shrunk and saved under
//! `proptest-regressions/`, which is committed.

use proptest::prelude::*;
use std::sync::OnceLock;
use warta_extract::extract::{invariant_violations, Extractor};
use warta_extract::input::{read_bytes, InputOptions};
use warta_extract::model::{EntityType, Language};
use warta_extract::ontology::Ontology;

struct Pools {
    ont: Ontology,
    /// Example sentences by language: Indonesian, English.
    sentences: [Vec<String>; 2],
    /// Gazetteer labels (English) by swappable type.
    names: Vec<Vec<String>>,
}

fn pools() -> &'static Pools {
    static POOLS: OnceLock<Pools> = OnceLock::new();
    POOLS.get_or_init(|| {
        let ont = Ontology::embedded().expect("the built-in ontology");
        let sentences = [Language::Id, Language::En].map(|lang| {
            ont.lexicon(lang)
                .rules
                .iter()
                .flat_map(|r| r.examples.iter().map(|e| e.text.clone()))
                .collect::<Vec<_>>()
        });
        let names = [
            EntityType::Person,
            EntityType::Country,
            EntityType::Organization,
        ]
        .map(|t| {
            ont.gazetteer
                .entries()
                .iter()
                .filter(|e| e.entity_type == t)
                .map(|e| e.label_en.clone())
                .collect::<Vec<_>>()
        })
        .into_iter()
        .collect();
        Pools {
            ont,
            sentences,
            names,
        }
    })
}

const NOISE: &[&str] = &[
    "\u{200B}", "\u{200D}", "\u{FEFF}", "\u{202E}", "\u{2066}", "\u{0301}", "\u{0308}", "\u{00A0}",
    "\u{3000}", "😀", "🇮🇩", "\u{0007}", "\u{001B}", "\r", "\r\n", "\t", "\n\n", "\"", "“", "”",
    "'", "’", "(", ")", "[", "]", "—", "-", ",", ".", ":", ";", "?", "!", "&amp;", "<b>", "İ", "ß",
    "Ω", "ﬁ", "\u{FFFD}",
];

/// A generated article: which sentences, which swaps, which noise.
#[derive(Debug, Clone)]
struct Plan {
    english: bool,
    sentences: Vec<usize>,
    /// (type index, name index in the gazetteer, name index to replace in
    /// the text).
    swaps: Vec<(usize, usize, usize)>,
    /// (position as a fraction of the text in thousandths, noise index).
    noise: Vec<(u16, usize)>,
    /// How many times the text repeats (very long inputs).
    repeat: usize,
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        any::<bool>(),
        prop::collection::vec(any::<usize>(), 1..8),
        prop::collection::vec((0..3usize, any::<usize>(), any::<usize>()), 0..4),
        prop::collection::vec((0..1000u16, 0..NOISE.len()), 0..12),
        prop_oneof![8 => Just(1usize), 1 => 20..60usize],
    )
        .prop_map(|(english, sentences, swaps, noise, repeat)| Plan {
            english,
            sentences,
            swaps,
            noise,
            repeat,
        })
}

fn render(plan: &Plan) -> (Language, String) {
    let p = pools();
    let (lang, pool) = if plan.english {
        (Language::En, &p.sentences[1])
    } else {
        (Language::Id, &p.sentences[0])
    };
    let mut text: String = plan
        .sentences
        .iter()
        .map(|i| pool[i % pool.len()].as_str())
        .collect::<Vec<_>>()
        .join(" ");
    for &(t, to, from) in &plan.swaps {
        let names = &p.names[t];
        let present: Vec<&String> = names.iter().filter(|n| text.contains(n.as_str())).collect();
        if let Some(from) = present.get(from % present.len().max(1)) {
            let from = (*from).clone();
            text = text.replace(&from, &names[to % names.len()]);
        }
    }
    for &(at, n) in &plan.noise {
        let mut pos = text.len() * usize::from(at) / 1000;
        while !text.is_char_boundary(pos) {
            pos += 1;
        }
        text.insert_str(pos, NOISE[n]);
    }
    (lang, vec![text; plan.repeat].join("\n\n"))
}

fn check(name: &str, text: &str, lang: Option<Language>) -> Result<(), TestCaseError> {
    let p = pools();
    let extractor = Extractor::new(&p.ont);
    let Ok(article) = read_bytes(name, text.as_bytes(), &InputOptions::default()) else {
        return Ok(()); // empty or binary-looking input: refused, not extracted
    };
    let x = extractor.extract(&article, lang);
    let problems = invariant_violations(&article, &x);
    prop_assert!(problems.is_empty(), "{problems:?}");
    let again = extractor.extract(&article, lang);
    prop_assert_eq!(
        serde_json::to_string(&x).ok(),
        serde_json::to_string(&again).ok(),
        "not deterministic"
    );
    Ok(())
}

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(cases)
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn recombined_examples_keep_the_invariants(plan in plan()) {
        let (lang, text) = render(&plan);
        check("prop.txt", &text, Some(lang))?;
        // Auto-detected language and the Markdown reader as well.
        check("prop.md", &text, None)?;
    }

    #[test]
    fn very_short_inputs_keep_the_invariants(s in "\\PC{0,6}") {
        check("short.txt", &s, None)?;
        check("short.html", &s, None)?;
    }

    #[test]
    fn arbitrary_text_keeps_the_invariants(s in "[A-Za-z .,'\\u{00C0}-\\u{024F}\\u{200B}()\n-]{0,300}") {
        check("any.txt", &s, Some(Language::Id))?;
        check("any.txt", &s, Some(Language::En))?;
    }
}

#[test]
fn the_generator_swaps_names_and_adds_noise() {
    let plan = Plan {
        english: true,
        sentences: vec![0, 1, 2],
        swaps: vec![(1, 7, 0)],
        noise: vec![(500, 0), (999, 9)],
        repeat: 2,
    };
    let (lang, text) = render(&plan);
    assert_eq!(lang, Language::En);
    assert!(text.contains('\u{200B}') && text.contains('😀'), "{text}");
    assert_eq!(text.matches("\n\n").count(), 1, "{text}");
}
