//! A generated corpus for tests and benchmarks at size: articles recombined
//! from the sentences of `examples/`, with the people, organisations and
//! countries they name swapped for others drawn from the whole gazetteer, so
//! the store holds many distinct articles, entities and events. Deterministic
//! for a seed. Shared by `tests/` and `benches/` (included with `#[path]`).
#![allow(dead_code)] // each user takes what it needs

use std::path::Path;
use warta::model::{EntityType, Language};
use warta::ontology::Ontology;
use warta::text::{segment, SegmentKind};

/// A small xorshift generator (no dependency, same numbers everywhere).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A sentence of the examples and the gazetteer names in it.
struct PoolSentence {
    text: String,
    names: Vec<(EntityType, String)>,
}

/// Makes articles; see the module docs.
pub struct CorpusMaker {
    /// Sentences by language: Indonesian first, then English.
    pools: [(Language, Vec<PoolSentence>); 2],
    /// Labels (Indonesian, English) of the swappable entries, by type.
    by_type: Vec<(EntityType, Vec<(String, String)>)>,
}

const SWAPPED: [EntityType; 3] = [
    EntityType::Person,
    EntityType::Organization,
    EntityType::Country,
];

impl CorpusMaker {
    pub fn new(ont: &Ontology, root: &Path) -> CorpusMaker {
        let by_type: Vec<(EntityType, Vec<(String, String)>)> = SWAPPED
            .iter()
            .map(|t| {
                let labels = ont
                    .gazetteer
                    .entries()
                    .iter()
                    .filter(|e| e.entity_type == *t && e.label_en.len() >= 4)
                    .map(|e| (e.label(Language::Id).to_string(), e.label_en.clone()))
                    .collect();
                (*t, labels)
            })
            .collect();
        let mut pools: [(Language, Vec<PoolSentence>); 2] =
            [(Language::Id, Vec::new()), (Language::En, Vec::new())];
        let mut files: Vec<_> = std::fs::read_dir(root.join("examples"))
            .expect("examples/ is readable")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        for p in files {
            let text = std::fs::read_to_string(&p).expect("an example is UTF-8");
            let id = p
                .file_name()
                .is_some_and(|f| f.to_string_lossy().starts_with("id-"));
            let (lang, pool) = &mut pools[if id { 0 } else { 1 }];
            let lang = *lang;
            for s in segment(&text)
                .into_iter()
                .filter(|s| s.kind == SegmentKind::Sentence)
            {
                let text = s.text(&text).to_string();
                let names = by_type
                    .iter()
                    .flat_map(|(t, labels)| {
                        labels.iter().map(move |(l_id, l_en)| {
                            let l = if lang == Language::Id { l_id } else { l_en };
                            (*t, l.clone())
                        })
                    })
                    .filter(|(_, l)| text.contains(l.as_str()))
                    .collect();
                pool.push(PoolSentence { text, names });
            }
        }
        CorpusMaker { pools, by_type }
    }

    /// `n` articles (alternating Indonesian and English) from `seed`.
    pub fn articles(&self, n: usize, seed: u64) -> Vec<(Language, String)> {
        let mut rng = Rng(seed | 1);
        (0..n).map(|i| self.article(i % 2, &mut rng)).collect()
    }

    fn article(&self, pool: usize, rng: &mut Rng) -> (Language, String) {
        let (lang, sentences) = &self.pools[pool];
        let k = 5 + rng.below(8);
        let picked: Vec<&PoolSentence> = (0..k)
            .map(|_| &sentences[rng.below(sentences.len())])
            .collect();
        let mut text: Vec<String> = picked.iter().map(|s| s.text.clone()).collect();
        let mut names: Vec<&(EntityType, String)> =
            picked.iter().flat_map(|s| s.names.iter()).collect();
        names.sort();
        names.dedup();
        // Swap up to four of the names the article holds.
        for _ in 0..4 {
            if names.is_empty() {
                break;
            }
            let (t, from) = names.swap_remove(rng.below(names.len()));
            let Some((_, labels)) = self.by_type.iter().find(|(bt, _)| bt == t) else {
                continue;
            };
            let (to_id, to_en) = &labels[rng.below(labels.len())];
            let to = if *lang == Language::Id { to_id } else { to_en };
            for s in &mut text {
                *s = s.replace(from.as_str(), to);
            }
        }
        (*lang, text.join(" "))
    }
}

/// The articles as a JSONL feed (one article a line: text, language).
pub fn jsonl(articles: &[(Language, String)], published: Option<&str>) -> String {
    let mut out = String::new();
    for (i, (lang, text)) in articles.iter().enumerate() {
        let mut o = serde_json::json!({
            "text": text,
            "language": lang.tag(),
            "url": format!("https://news.example/{i}"),
        });
        if let Some(p) = published {
            o["published"] = serde_json::Value::String(p.to_string());
        }
        out.push_str(&o.to_string());
        out.push('\n');
    }
    out
}
