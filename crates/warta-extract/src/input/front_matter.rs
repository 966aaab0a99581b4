//! Markdown front matter: the metadata block static-site generators and
//! note tools put before an article, YAML between `---` lines (Jekyll,
//! Hugo, Obsidian, Pandoc) or TOML between `+++` lines (Hugo, Zola).
//!
//! Only the keys warta uses are read: the title, the publication date, the
//! URL and the language, each under the names those tools use. Other keys
//! (tags, authors, layout ...) are ignored. A block that does not parse is
//! an error naming the file and line, never article text.

/// The metadata a front matter block gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct FrontMatter {
    pub title: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
}

/// Where a front matter block is malformed: 1-based line in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FrontMatterError {
    pub line: usize,
    pub message: String,
}

const TITLE_KEYS: &[&str] = &["title", "headline"];
const DATE_KEYS: &[&str] = &[
    "date",
    "published",
    "date_published",
    "datePublished",
    "publishDate",
    "pubDate",
    "publish_date",
];
const URL_KEYS: &[&str] = &[
    "url",
    "canonical_url",
    "canonicalURL",
    "canonical",
    "source_url",
    "link",
    "permalink",
];
const LANGUAGE_KEYS: &[&str] = &["lang", "language", "locale", "inLanguage"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Yaml,
    Toml,
}

/// Splits `raw` into its front matter and the Markdown after it. Text that
/// does not open with a fence line, or whose fence never closes, has no
/// front matter (a leading `---` may be a thematic break).
pub(super) fn split_front_matter(
    raw: &str,
) -> Result<(Option<FrontMatter>, &str), FrontMatterError> {
    let Some((syntax, block, body)) = fenced_block(raw) else {
        return Ok((None, raw));
    };
    let keys = match syntax {
        Syntax::Yaml => yaml_keys(block)?,
        Syntax::Toml => toml_keys(block)?,
    };
    match keys {
        Some(keys) => Ok((Some(front_matter_from(&keys)), body)),
        // A YAML "block" that is not a mapping is prose between two
        // thematic breaks: leave the text as it is.
        None => Ok((None, raw)),
    }
}

/// The syntax, the block between the fences, and the text after the
/// closing fence line.
fn fenced_block(raw: &str) -> Option<(Syntax, &str, &str)> {
    let (first, rest) = raw.split_once('\n')?;
    let syntax = match first.trim_end() {
        "---" => Syntax::Yaml,
        "+++" => Syntax::Toml,
        _ => return None,
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let fence = line.trim_end();
        let closes = match syntax {
            Syntax::Yaml => fence == "---" || fence == "...",
            Syntax::Toml => fence == "+++",
        };
        if closes {
            return Some((syntax, &rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// Scalar values of a YAML mapping by key; `None` when the block is not a
/// mapping. Lines are counted from the opening fence (line 1).
fn yaml_keys(block: &str) -> Result<Option<Vec<(String, String)>>, FrontMatterError> {
    use yaml_rust2::{Yaml, YamlLoader};
    let docs = YamlLoader::load_from_str(block).map_err(|e| FrontMatterError {
        line: e.marker().line() + 1,
        message: format!("YAML front matter: {}", e.info()),
    })?;
    let Some(Yaml::Hash(map)) = docs.into_iter().next() else {
        return Ok(None);
    };
    let keys = map
        .into_iter()
        .filter_map(|(k, v)| {
            let value = match v {
                Yaml::String(s) | Yaml::Real(s) => s,
                Yaml::Integer(i) => i.to_string(),
                _ => return None,
            };
            Some((k.as_str()?.to_string(), value))
        })
        .collect();
    Ok(Some(keys))
}

/// Scalar values of a TOML table by key (dates as RFC 3339 text).
fn toml_keys(block: &str) -> Result<Option<Vec<(String, String)>>, FrontMatterError> {
    let table: toml::Table = block.parse().map_err(|e: toml::de::Error| {
        let line = e.span().map_or(0, |s| {
            block[..s.start.min(block.len())].matches('\n').count()
        });
        FrontMatterError {
            line: line + 2,
            message: format!("TOML front matter: {}", e.message()),
        }
    })?;
    let keys = table
        .into_iter()
        .filter_map(|(k, v)| {
            let value = match v {
                toml::Value::String(s) => s,
                toml::Value::Datetime(d) => d.to_string(),
                toml::Value::Integer(i) => i.to_string(),
                _ => return None,
            };
            Some((k, value))
        })
        .collect();
    Ok(Some(keys))
}

fn front_matter_from(keys: &[(String, String)]) -> FrontMatter {
    let first = |names: &[&str]| {
        names.iter().find_map(|n| {
            keys.iter()
                .find(|(k, v)| k == n && !v.trim().is_empty())
                .map(|(_, v)| v.trim().to_string())
        })
    };
    FrontMatter {
        title: first(TITLE_KEYS),
        published: first(DATE_KEYS),
        url: first(URL_KEYS),
        language: first(LANGUAGE_KEYS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter_gives_title_date_url_and_language() {
        let raw = "---\r\ntitle: \"Menlu bertemu mitra\"\r\ndate: 2024-03-01 08:30:00 +07:00\r\n\
                   tags: [asean, diplomasi]\r\nlang: id\r\ncanonical_url: https://example.org/a\r\n---\r\n# Judul\r\nIsi.\r\n";
        let (fm, body) = split_front_matter(raw).expect("valid");
        let fm = fm.expect("front matter");
        assert_eq!(fm.title.as_deref(), Some("Menlu bertemu mitra"));
        assert_eq!(fm.published.as_deref(), Some("2024-03-01 08:30:00 +07:00"));
        assert_eq!(fm.language.as_deref(), Some("id"));
        assert_eq!(fm.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(body, "# Judul\r\nIsi.\r\n");
    }

    #[test]
    fn toml_front_matter_reads_native_dates() {
        let raw = "+++\ntitle = 'Talks resume'\ndate = 2024-03-01T08:30:00Z\nlanguage = \"en\"\n+++\nBody.\n";
        let (fm, body) = split_front_matter(raw).expect("valid");
        let fm = fm.expect("front matter");
        assert_eq!(fm.title.as_deref(), Some("Talks resume"));
        assert_eq!(fm.published.as_deref(), Some("2024-03-01T08:30:00Z"));
        assert_eq!(fm.language.as_deref(), Some("en"));
        assert_eq!(body, "Body.\n");
    }

    #[test]
    fn text_without_a_closed_block_or_a_mapping_is_left_alone() {
        for raw in [
            "No front matter.\n",
            "---\nA thematic break, then text that never closes.\n",
            "---\nJust a sentence between two breaks.\n---\nMore.\n",
            "----\ntitle: x\n----\n",
        ] {
            let (fm, body) = split_front_matter(raw).expect("not an error");
            assert_eq!((fm, body), (None, raw), "{raw:?}");
        }
    }

    #[test]
    fn a_malformed_block_names_its_line() {
        let e = split_front_matter("---\ntitle: ok\nbad: [unclosed\n---\nText\n").unwrap_err();
        assert!(e.message.starts_with("YAML front matter:"), "{e:?}");
        assert_eq!(
            e.line, 4,
            "the unclosed list runs to the closing fence: {e:?}"
        );
        let e = split_front_matter("+++\ntitle = 'a'\ndate = \n+++\nText\n").unwrap_err();
        assert!(e.message.starts_with("TOML front matter:"), "{e:?}");
        assert_eq!(e.line, 3, "{e:?}");
    }
}
