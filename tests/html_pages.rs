//! Saved news pages of five layouts (`tests/data/html/`, written for these
//! tests in the shapes real sites use: a portal with "Terpopuler" and "Baca
//! juga" boxes, a wire story without an `<article>`, a government readout in
//! `<main>`, a blog with comments, a live page behind a cookie dialog). Each
//! must give the article's text and metadata, none of the furniture, and no
//! event from the furniture, whose headlines are sentences that would
//! otherwise become events.

use std::path::Path;
use warta::extract::Extractor;
use warta::input::{read_source, Article, InputOptions, InputSource};
use warta::ontology::Ontology;

struct Expected {
    file: &'static str,
    title: &'static str,
    published: Option<&'static str>,
    url: Option<&'static str>,
    language: &'static str,
    /// Article sentences (or their starts) the text must keep.
    keep: &'static [&'static str],
    /// Furniture the text must not have.
    drop: &'static [&'static str],
}

const PAGES: &[Expected] = &[
    Expected {
        file: "id-portal.html",
        title: "Menlu Retno Marsudi Bertemu Menlu Malaysia di Jakarta",
        published: Some("2023-02-14"),
        url: Some("https://portal.example.id/internasional/menlu-bertemu-mitra"),
        language: "id",
        keep: &[
            "Menteri Luar Negeri Retno Marsudi bertemu",
            "Keduanya membahas perbatasan",
            "Pertemuan berikutnya dijadwalkan",
        ],
        drop: &[
            "Iran mengancam Israel",
            "Jepang mengecam uji rudal",
            "Amerika Serikat menjatuhkan sanksi",
            "Foto: Dok",
            "Hak cipta",
            "Beranda",
            "Terpopuler",
        ],
    },
    Expected {
        file: "en-wire.html",
        title: "Japan and the Philippines sign a defence pact",
        published: Some("2024-07-08"),
        url: Some("https://wire.example.com/world/japan-philippines-pact"),
        language: "en",
        keep: &[
            "Japan and the Philippines signed a defence agreement",
            "The Japanese foreign minister met",
            "The agreement still needs",
        ],
        drop: &[
            "China condemns Japan",
            "Russia threatens Finland",
            "North Korea tests",
            "Share on",
            "morning briefing",
            "Sign in",
            "All rights",
        ],
    },
    Expected {
        file: "en-gov-press.html",
        title: "Readout of the Secretary's Call with the Foreign Minister of Indonesia",
        published: Some("2022-11-02"),
        url: Some("https://gov.example.gov/readout-call-indonesia"),
        language: "en",
        keep: &[
            "The Secretary spoke today with Indonesian Foreign Minister Retno Marsudi",
            "urged Russia to end its war",
        ],
        drop: &[
            "condemns the attack in Kabul",
            "Press releases",
            "Skip to content",
            "official website",
            "Home /",
        ],
    },
    Expected {
        file: "id-blog.html",
        title: "Catatan Diplomasi",
        published: Some("2021-09-30"),
        url: Some("https://blog.example.id/2021/09/kunjungan"),
        language: "id",
        keep: &[
            "Presiden Joko Widodo menerima kunjungan",
            "Kedua pemimpin menandatangani",
        ],
        drop: &[
            "Rusia mengecam Amerika",
            "Tiongkok mengancam Taiwan",
            "Arsip",
            "komentar",
        ],
    },
    Expected {
        file: "en-live.html",
        title: "ASEAN leaders gather for the summit in Vientiane",
        published: Some("2024-10-09"),
        url: None,
        language: "en",
        keep: &[
            "The leaders of Southeast Asia met in Vientiane",
            "urged China to respect",
            "welcomed the delegations",
        ],
        drop: &[
            "cookies",
            "Israel threatens Hezbollah",
            "Subscribe for",
            "Privacy policy",
            "The Example Times",
        ],
    },
];

fn read(file: &str) -> Article {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/html")
        .join(file);
    let mut found = None;
    read_source(
        &InputSource::File(path),
        &InputOptions::default(),
        &mut |r| {
            found = Some(r.unwrap_or_else(|e| panic!("{file}: {e}")));
        },
    )
    .unwrap_or_else(|e| panic!("{file}: {e}"));
    found.unwrap_or_else(|| panic!("{file}: no article"))
}

#[test]
fn each_page_gives_its_article_and_metadata_without_the_furniture() {
    let ont = Ontology::embedded().expect("the built-in ontology");
    let extractor = Extractor::new(&ont);
    let (mut kept, mut keep_total, mut dropped, mut drop_total) = (0, 0, 0, 0);
    for page in PAGES {
        let article = read(page.file);
        assert_eq!(
            article.title.as_deref(),
            Some(page.title),
            "{}: title",
            page.file
        );
        assert_eq!(
            article.published.as_deref(),
            page.published,
            "{}: date",
            page.file
        );
        assert_eq!(article.url.as_deref(), page.url, "{}: url", page.file);
        assert_eq!(
            article.language.as_deref(),
            Some(page.language),
            "{}: language",
            page.file
        );
        keep_total += page.keep.len();
        kept += page
            .keep
            .iter()
            .filter(|k| article.text.contains(*k))
            .count();
        drop_total += page.drop.len();
        dropped += page
            .drop
            .iter()
            .filter(|d| !article.text.contains(*d))
            .count();
        for k in page.keep {
            assert!(
                article.text.contains(k),
                "{}: lost {k:?}:\n{}",
                page.file,
                article.text
            );
        }
        for d in page.drop {
            assert!(
                !article.text.contains(d),
                "{}: kept furniture {d:?}:\n{}",
                page.file,
                article.text
            );
        }
        // No event may rest on furniture: every evidence is article text.
        let x = extractor.extract(&article, None);
        assert!(
            !x.relations.is_empty(),
            "{}: the article's events",
            page.file
        );
        for r in &x.relations {
            assert!(
                page.drop.iter().all(|d| !r.sentence.contains(d)),
                "{}: event from furniture: {}",
                page.file,
                r.sentence
            );
        }
    }
    println!(
        "article text kept: {kept}/{keep_total}; furniture dropped: {dropped}/{drop_total} ({} pages)",
        PAGES.len()
    );
}
