//! Online reconciliation: candidate Wikidata items for a name, from the
//! Wikidata API's `wbsearchentities`, for `warta link --unlinked --suggest`.
//!
//! warta never applies a suggestion: they are printed for the user to copy
//! into the links file. Answers are kept in an on-disk cache, one JSON file
//! keyed by query (`<endpoint>|<language>|<name>`), so a name is asked once
//! and later runs work offline. Requests have a timeout; when the API cannot
//! be reached (no network, timeout, an HTTP error) the first failure switches
//! the suggester offline for the rest of the run: cached suggestions only, and
//! [`Suggester::offline_message`] says so in one line.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use warta_extract::model::EntityType;

/// The public Wikidata API.
pub const DEFAULT_ENDPOINT: &str = "https://www.wikidata.org/w/api.php";
/// The cache file's name inside the cache directory.
pub const CACHE_FILE: &str = "wikidata-search.json";
const CACHE_FORMAT: &str = "warta-wikidata-cache/1";
/// Candidates asked for per query, and shown per entity.
const ASK: usize = 7;
const SHOW: usize = 5;
/// Largest answer read, in bytes.
const MAX_ANSWER: u64 = 1 << 20;

/// A candidate item for a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub qid: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Does the description fit the entity's type (a politician for a
    /// Person, a city for a City ...)? Such candidates come first.
    #[serde(default)]
    pub fits_type: bool,
}

/// Errors that stop suggestions altogether (the network never does).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WikidataError {
    #[error("the Wikidata cache {path} cannot be read: {message} (delete it to start afresh)")]
    Cache { path: PathBuf, message: String },
    #[error("cannot write the Wikidata cache {path}: {source}")]
    CacheWrite {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("--wikidata-api {0}: expected an http:// or https:// URL")]
    Endpoint(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheFile {
    format: String,
    entries: BTreeMap<String, CacheEntry>,
}

impl Default for CacheFile {
    fn default() -> Self {
        CacheFile {
            format: CACHE_FORMAT.to_string(),
            entries: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheEntry {
    /// When it was asked, in seconds since 1970.
    #[serde(default)]
    fetched: u64,
    results: Vec<Hit>,
}

/// One search result as the API gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    #[serde(default)]
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The cache key of a query.
pub fn cache_key(endpoint: &str, lang: &str, name: &str) -> String {
    format!("{endpoint}|{lang}|{name}")
}

/// Parses a `wbsearchentities` answer.
pub fn parse_search(json: &str) -> Result<Vec<Hit>, String> {
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    if let Some(err) = v.get("error") {
        let info = err
            .get("info")
            .or_else(|| err.get("code"))
            .and_then(serde_json::Value::as_str)
            .unwrap_or("unknown error");
        return Err(format!("the API answered an error: {info}"));
    }
    let Some(search) = v.get("search").and_then(serde_json::Value::as_array) else {
        return Err("no \"search\" list in the answer".to_string());
    };
    Ok(search
        .iter()
        .filter_map(|h| {
            let id = h.get("id")?.as_str()?;
            warta_extract::ontology::gazetteer::is_qid(id).then(|| Hit {
                id: id.to_string(),
                label: h
                    .get("label")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or(id)
                    .to_string(),
                description: h
                    .get("description")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_string),
            })
        })
        .collect())
}

/// Words in descriptions (English and Indonesian) that fit each type.
fn hint_words(t: EntityType) -> &'static [&'static str] {
    match t {
        EntityType::Person => &[
            "politician",
            "diplomat",
            "minister",
            "president",
            "businessman",
            "businesswoman",
            "journalist",
            "official",
            "officer",
            "ambassador",
            "leader",
            "spokesperson",
            "politikus",
            "politisi",
            "menteri",
            "presiden",
            "duta besar",
            "pengusaha",
            "wartawan",
            "born",
            "lahir",
        ],
        EntityType::Country => &[
            "country", "state", "negara", "republic", "kingdom", "republik",
        ],
        EntityType::City => &["city", "capital", "town", "kota", "ibu kota"],
        EntityType::Place => &[
            "airport", "river", "palace", "region", "sea", "island", "province", "building",
            "mountain", "bandara", "sungai", "istana", "wilayah", "laut", "pulau", "provinsi",
            "gedung",
        ],
        EntityType::Organization => &[
            "organization",
            "organisation",
            "party",
            "company",
            "alliance",
            "union",
            "organisasi",
            "partai",
            "perusahaan",
            "aliansi",
        ],
        EntityType::GovernmentBody => &[
            "ministry",
            "agency",
            "embassy",
            "government",
            "department",
            "council",
            "office",
            "kementerian",
            "badan",
            "kedutaan",
            "pemerintah",
            "dewan",
        ],
        EntityType::Media => &[
            "newspaper",
            "news",
            "television",
            "broadcaster",
            "magazine",
            "website",
            "surat kabar",
            "berita",
            "televisi",
            "majalah",
            "media",
        ],
        EntityType::Weapon => &["missile", "weapon", "rudal", "senjata"],
    }
}

/// Does a description fit the type?
pub fn fits(t: EntityType, description: &str) -> bool {
    let d = description.to_lowercase();
    hint_words(t).iter().any(|w| {
        d.match_indices(w).any(|(i, _)| {
            let before = d[..i].chars().next_back();
            !before.is_some_and(char::is_alphanumeric)
        })
    })
}

/// Asks the API (or the cache) for candidates.
pub struct Suggester {
    agent: ureq::Agent,
    endpoint: String,
    timeout: Duration,
    cache_path: Option<PathBuf>,
    cache: CacheFile,
    dirty: bool,
    offline: Option<String>,
    /// Requests sent and answers taken from the cache, for the summary.
    pub requests: usize,
    pub cached: usize,
}

impl Suggester {
    /// A suggester for `endpoint` with a per-request `timeout`, caching in
    /// `cache_path` (a JSON file; None keeps the cache in memory).
    pub fn new(
        endpoint: &str,
        timeout: Duration,
        cache_path: Option<PathBuf>,
    ) -> Result<Suggester, WikidataError> {
        if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
            return Err(WikidataError::Endpoint(endpoint.to_string()));
        }
        let cache = match &cache_path {
            Some(p) => read_cache(p)?,
            None => CacheFile::default(),
        };
        let agent = crate::agent(timeout);
        Ok(Suggester {
            agent,
            endpoint: endpoint.to_string(),
            timeout,
            cache_path,
            cache,
            dirty: false,
            offline: None,
            requests: 0,
            cached: 0,
        })
    }

    /// Candidates for `name` (in language `lang`, "id" or "en"), those whose
    /// description fits `hint` first. Searches English too when the name's
    /// own language finds nothing.
    pub fn suggest(&mut self, name: &str, lang: &str, hint: Option<EntityType>) -> Vec<Candidate> {
        let mut hits = self.lookup(name, lang).unwrap_or_default();
        if hits.is_empty() && lang != "en" {
            hits = self.lookup(name, "en").unwrap_or_default();
        }
        let mut out: Vec<Candidate> = hits
            .into_iter()
            .map(|h| Candidate {
                fits_type: hint
                    .zip(h.description.as_deref())
                    .is_some_and(|(t, d)| fits(t, d)),
                qid: h.id,
                label: h.label,
                description: h.description,
            })
            .collect();
        out.sort_by_key(|c| !c.fits_type); // stable: the API's order otherwise
        out.truncate(SHOW);
        out
    }

    /// The cached answer, else the API's (None when offline and not cached).
    fn lookup(&mut self, name: &str, lang: &str) -> Option<Vec<Hit>> {
        let key = cache_key(&self.endpoint, lang, name);
        if let Some(e) = self.cache.entries.get(&key) {
            self.cached += 1;
            return Some(e.results.clone());
        }
        if self.offline.is_some() {
            return None;
        }
        self.requests += 1;
        match self.ask(name, lang) {
            Ok(results) => {
                let fetched = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                self.cache.entries.insert(
                    key,
                    CacheEntry {
                        fetched,
                        results: results.clone(),
                    },
                );
                self.dirty = true;
                Some(results)
            }
            Err(why) => {
                self.offline = Some(why);
                None
            }
        }
    }

    fn ask(&self, name: &str, lang: &str) -> Result<Vec<Hit>, String> {
        let limit = ASK.to_string();
        let answer = self
            .agent
            .get(&self.endpoint)
            .query("action", "wbsearchentities")
            .query("search", name)
            .query("language", lang)
            .query("uselang", lang)
            .query("type", "item")
            .query("limit", &limit)
            .query("format", "json")
            .call();
        let mut response = answer.map_err(|e| match e {
            ureq::Error::Timeout(_) => format!("no answer within {} s", self.timeout.as_secs_f64()),
            ureq::Error::Io(io) => io.to_string(),
            other => other.to_string(),
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("HTTP {status}"));
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER)
            .read_to_string()
            .map_err(|e| format!("reading the answer: {e}"))?;
        parse_search(&body)
    }

    /// Why the suggester is offline, if it is.
    pub fn offline_reason(&self) -> Option<&str> {
        self.offline.as_deref()
    }

    /// The one-line notice for the user when the API could not be reached.
    pub fn offline_message(&self) -> Option<String> {
        self.offline.as_ref().map(|why| {
            format!(
                "cannot reach Wikidata at {} ({why}): working offline; cached suggestions only",
                self.endpoint
            )
        })
    }

    /// Writes the cache back if anything was added (atomically: a temporary
    /// file renamed over the old one).
    pub fn save(&mut self) -> Result<(), WikidataError> {
        let Some(path) = &self.cache_path else {
            return Ok(());
        };
        if !self.dirty {
            return Ok(());
        }
        let write = |path: &Path| -> std::io::Result<()> {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let tmp = path.with_extension("json.tmp");
            let text = serde_json::to_string_pretty(&self.cache).map_err(std::io::Error::other)?;
            std::fs::write(&tmp, text)?;
            std::fs::rename(&tmp, path)
        };
        write(path).map_err(|source| WikidataError::CacheWrite {
            path: path.clone(),
            source,
        })?;
        self.dirty = false;
        Ok(())
    }
}

fn read_cache(path: &Path) -> Result<CacheFile, WikidataError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(CacheFile::default()),
        Err(e) => {
            return Err(WikidataError::Cache {
                path: path.to_path_buf(),
                message: e.to_string(),
            })
        }
    };
    let cache: CacheFile = serde_json::from_str(&text).map_err(|e| WikidataError::Cache {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    if cache.format != CACHE_FORMAT {
        return Err(WikidataError::Cache {
            path: path.to_path_buf(),
            message: format!("format {:?}, expected {CACHE_FORMAT:?}", cache.format),
        });
    }
    Ok(cache)
}

/// Writes a cache file with these answers (for tests and for seeding a cache
/// by hand): `(language, name, hits)` for `endpoint`.
pub fn write_cache(
    path: &Path,
    endpoint: &str,
    answers: &[(&str, &str, Vec<Hit>)],
) -> Result<(), WikidataError> {
    let mut cache = CacheFile::default();
    for (lang, name, hits) in answers {
        cache.entries.insert(
            cache_key(endpoint, lang, name),
            CacheEntry {
                fetched: 0,
                results: hits.clone(),
            },
        );
    }
    let text = serde_json::to_string_pretty(&cache).map_err(|e| WikidataError::Cache {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    std::fs::write(path, text).map_err(|source| WikidataError::CacheWrite {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = r#"{"searchinfo":{"search":"Soviet Union"},"search":[
        {"id":"Q15180","title":"Q15180","label":"Soviet Union","description":"country in Eurasia (1922–1991)","match":{"type":"label","language":"en","text":"Soviet Union"}},
        {"id":"Q2184","label":"Russian Soviet Federative Socialist Republic","description":"Soviet republic"},
        {"id":"P31","label":"instance of"},
        {"id":"Q1","label":"Universe"}
    ],"success":1}"#;

    #[test]
    fn parses_wbsearchentities_answers() {
        let hits = parse_search(ANSWER).unwrap();
        assert_eq!(hits.len(), 3, "properties are left out");
        assert_eq!(hits[0].id, "Q15180");
        assert_eq!(hits[0].label, "Soviet Union");
        assert_eq!(hits[2].description, None);
        let err =
            parse_search(r#"{"error":{"code":"maxlag","info":"Waiting for a database server"}}"#)
                .unwrap_err();
        assert!(err.contains("Waiting for a database server"), "{err}");
        assert!(parse_search("<html>").is_err());
        assert!(parse_search("{}").is_err());
    }

    #[test]
    fn type_hints_match_whole_words() {
        assert!(fits(EntityType::Country, "country in Eurasia (1922–1991)"));
        assert!(fits(
            EntityType::Person,
            "Indonesian diplomat and politician"
        ));
        assert!(fits(EntityType::Person, "Menteri Luar Negeri Indonesia"));
        assert!(!fits(EntityType::City, "ethnicity")); // "city" inside a word
        assert!(!fits(EntityType::Person, "country in Eurasia"));
    }

    #[test]
    fn the_cache_answers_offline_and_the_notice_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CACHE_FILE);
        let endpoint = "http://127.0.0.1:9/w/api.php";
        write_cache(
            &path,
            endpoint,
            &[("id", "Uni Soviet", parse_search(ANSWER).unwrap())],
        )
        .unwrap();
        let mut s = Suggester::new(endpoint, Duration::from_secs(2), Some(path.clone())).unwrap();
        let c = s.suggest("Uni Soviet", "id", Some(EntityType::Country));
        assert_eq!(c[0].qid, "Q15180");
        assert!(c[0].fits_type);
        assert_eq!(s.requests, 0);
        assert!(s.offline_message().is_none());
        // Not cached: the (closed) local port is asked, and refuses.
        let none = s.suggest("Sungai Tumen", "id", Some(EntityType::Place));
        assert!(none.is_empty());
        let msg = s.offline_message().unwrap();
        assert!(
            msg.starts_with("cannot reach Wikidata at http://127.0.0.1:9/w/api.php (")
                && msg.ends_with("): working offline; cached suggestions only"),
            "{msg}"
        );
        // Offline: no more requests, cached answers still come.
        assert_eq!(s.suggest("Uni Soviet", "id", None).len(), 3);
        assert_eq!(s.requests, 1);
        s.save().unwrap();
    }

    #[test]
    fn a_broken_cache_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CACHE_FILE);
        std::fs::write(&path, "{not json").unwrap();
        let err = Suggester::new(DEFAULT_ENDPOINT, Duration::from_secs(1), Some(path))
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains(CACHE_FILE) && err.contains("delete it"),
            "{err}"
        );
        assert!(Suggester::new("ftp://x", Duration::from_secs(1), None).is_err());
    }
}
