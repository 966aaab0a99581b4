//! `--shard i/n` splits a corpus with no coordination: with n = 3, every
//! article lands in exactly one shard, and the union of the three shards'
//! canonical exports is the canonical export of one run over the whole
//! corpus (entity, event and document IRIs are the same wherever they are
//! minted). `warta extract --shard` partitions the JSON lines the same way.

mod common;
#[path = "common/corpus.rs"]
mod corpus;

use common::{ok, root};
use std::collections::BTreeSet;
use std::path::Path;

fn lines(text: &str) -> BTreeSet<String> {
    text.lines().map(str::to_string).collect()
}

#[test]
fn three_shards_together_are_one_run() {
    let ont = warta::ontology::Ontology::embedded().expect("the built-in ontology");
    let dir = tempfile::tempdir().expect("temp dir");
    let feed = dir.path().join("feed.jsonl");
    let articles = corpus::CorpusMaker::new(&ont, &root()).articles(300, 0x0005_bad5);
    std::fs::write(&feed, corpus::jsonl(&articles, Some("2024-01-20"))).expect("feed");
    let feed = feed.to_str().expect("UTF-8 path");
    let export = |store: &Path| lines(&ok(store, &["export", "--canonical"]));

    let whole = dir.path().join("whole");
    ok(&whole, &["ingest", feed, "examples/"]);
    let want = export(&whole);

    let mut union = BTreeSet::new();
    let mut documents = 0;
    for i in 1..=3 {
        let store = dir.path().join(format!("shard-{i}"));
        let shard = format!("{i}/3");
        let said = ok(&store, &["ingest", "--shard", &shard, feed, "examples/"]);
        let n: usize = said
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{said}"));
        assert!(n > 50, "shard {shard} holds {n} documents: {said}");
        assert!(said.contains("of other shards passed over"), "{said}");
        documents += n;
        union.extend(export(&store));
    }
    let whole_documents: usize = ok(&whole, &["stats"])
        .lines()
        .find_map(|l| l.trim().strip_prefix("documents").map(str::to_string))
        .and_then(|rest| {
            rest.trim_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .ok()
        })
        .expect("stats gives the number of documents");
    assert_eq!(documents, whole_documents);
    let missing: Vec<_> = want.difference(&union).take(3).collect();
    let extra: Vec<_> = union.difference(&want).take(3).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "the shards' union differs from one run: missing {missing:?}, extra {extra:?}"
    );

    let store = dir.path().join("unused");
    let all = ok(&store, &["extract", feed]);
    let mut parts = Vec::new();
    for i in 1..=3 {
        parts.extend(
            ok(&store, &["extract", "--shard", &format!("{i}/3"), feed])
                .lines()
                .map(str::to_string),
        );
    }
    let mut all: Vec<String> = all.lines().map(str::to_string).collect();
    all.sort();
    parts.sort();
    assert_eq!(all, parts, "extract's shards partition its output");
}
