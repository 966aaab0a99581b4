//! Time expressions: absolute ("14 Januari", "June 19, 2024", "hari Minggu",
//! "September") and relative ("pekan lalu", "kemarin", "last week"), resolved
//! against the article's date when it is known and kept as written otherwise.

use crate::model::Language;
use jiff::{civil::Date, Span};
use regex::Regex;
use std::sync::OnceLock;

/// A time expression found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeExpr {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// YYYY-MM-DD, YYYY-MM or YYYY when it could be resolved.
    pub date: Option<String>,
}

const MONTHS_ID: [&str; 12] = [
    "januari",
    "februari",
    "maret",
    "april",
    "mei",
    "juni",
    "juli",
    "agustus",
    "september",
    "oktober",
    "november",
    "desember",
];
const MONTHS_EN: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const DAYS_ID: [&str; 7] = [
    "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu",
];
const DAYS_EN: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn patterns(lang: Language) -> &'static Regex {
    static ID: OnceLock<Regex> = OnceLock::new();
    static EN: OnceLock<Regex> = OnceLock::new();
    let build =
        |src: &str| Regex::new(src).unwrap_or_else(|e| panic!("built-in time pattern: {e}"));
    match lang {
        Language::Id => ID.get_or_init(|| {
            build(r"(?i)(?-u:\b)(?:(?:pada\s+)?tanggal\s+)?(\d{1,2})\s+(januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember)(?:\s+(\d{4}))?(?-u:\b)|(?-u:\b)(?:pada\s+)?hari\s+(senin|selasa|rabu|kamis|jumat|sabtu|minggu)(?-u:\b)|(?-u:\b)(senin|selasa|rabu|kamis|jumat|sabtu)(?-u:\b)(?:\s*\((\d{1,2})/(\d{1,2})\))?|(?-u:\b)(?:pada\s+)?bulan\s+(januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember)(?:\s+(\d{4}))?(?-u:\b)|(?-u:\b)(pekan lalu|minggu lalu|kemarin|hari ini|bulan lalu|tahun lalu|pekan depan|minggu depan|besok|bulan depan|tahun depan)(?-u:\b)|(?-u:\b)(?:pada\s+)?tahun\s+(\d{4})(?-u:\b)")
        }),
        Language::En => EN.get_or_init(|| {
            build(r"(?i)(?-u:\b)(january|february|march|april|may|june|july|august|september|october|november|december)\s+(\d{1,2})(?:,?\s+(\d{4}))?(?-u:\b)|(?-u:\b)(\d{1,2})\s+(january|february|march|april|may|june|july|august|september|october|november|december)(?:\s+(\d{4}))?(?-u:\b)|(?-u:\b)(?:on\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?-u:\b)|(?-u:\b)in\s+(january|february|march|april|june|july|august|september|october|november|december)(?:\s+(\d{4}))?(?-u:\b)|(?-u:\b)(last week|yesterday|today|last month|last year|next week|tomorrow|next month|next year)(?-u:\b)|(?-u:\b)in\s+(\d{4})(?-u:\b)")
        }),
    }
}

fn month_index(name: &str) -> Option<u32> {
    let l = name.to_lowercase();
    MONTHS_ID
        .iter()
        .position(|m| *m == l)
        .or_else(|| MONTHS_EN.iter().position(|m| *m == l))
        .map(|i| i as u32 + 1)
}

fn weekday_index(name: &str) -> Option<i64> {
    let l = name.to_lowercase();
    DAYS_ID
        .iter()
        .position(|m| *m == l)
        .or_else(|| DAYS_EN.iter().position(|m| *m == l))
        .map(|i| i as i64)
}

/// Words without which no pattern can match (digits aside): a sentence
/// with neither skips the regular expression, the costly part.
fn may_have_time(slice: &str) -> bool {
    static KEYS: OnceLock<Option<aho_corasick::AhoCorasick>> = OnceLock::new();
    if slice.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    let keys = KEYS.get_or_init(|| {
        let relative = [
            "lalu",
            "kemarin",
            "hari ini",
            "besok",
            "depan",
            "yesterday",
            "today",
            "tomorrow",
            "last",
            "next",
        ];
        let words: Vec<&str> = MONTHS_ID
            .iter()
            .chain(&MONTHS_EN)
            .chain(&DAYS_ID)
            .chain(&DAYS_EN)
            .chain(&relative)
            .copied()
            .collect();
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(words)
            .ok()
    });
    // Without the matcher (it always builds), look with the regex.
    keys.as_ref().is_none_or(|k| k.is_match(slice))
}

/// Finds time expressions in `text[start..end]`.
pub fn find_times(
    text: &str,
    start: usize,
    end: usize,
    lang: Language,
    published: Option<&str>,
) -> Vec<TimeExpr> {
    let Some(slice) = text.get(start..end) else {
        return Vec::new();
    };
    if !may_have_time(slice) {
        return Vec::new();
    }
    let anchor = published.and_then(parse_date);
    let mut out = Vec::new();
    let re = patterns(lang);
    // Find matches with the fast engine, then take captures of each match only.
    for found in re.find_iter(slice) {
        let Some(c) = re.captures_at(slice, found.start()) else {
            continue;
        };
        let Some(m) = c.get(0) else { continue };
        let g = |i: usize| c.get(i).map(|x| x.as_str());
        let date = match lang {
            Language::Id => {
                if let (Some(d), Some(mo)) = (g(1), g(2)) {
                    day_month(d, mo, g(3), anchor)
                } else if let Some(wd) = g(4).or(g(5)) {
                    if let (Some(d), Some(mo)) = (g(6), g(7)) {
                        // "Selasa (20/10)"
                        let (d, mo) = (d.parse().ok(), mo.parse().ok());
                        match (d, mo, anchor) {
                            (Some(d), Some(mo), Some(a)) => fmt_date(i64::from(a.year()), mo, d),
                            _ => None,
                        }
                    } else {
                        weekday(wd, anchor)
                    }
                } else if let Some(mo) = g(8) {
                    month_only(mo, g(9), anchor)
                } else if let Some(rel) = g(10) {
                    relative(rel, anchor)
                } else {
                    g(11).map(str::to_string)
                }
            }
            Language::En => {
                if let (Some(mo), Some(d)) = (g(1), g(2)) {
                    day_month(d, mo, g(3), anchor)
                } else if let (Some(d), Some(mo)) = (g(4), g(5)) {
                    day_month(d, mo, g(6), anchor)
                } else if let Some(wd) = g(7) {
                    weekday(wd, anchor)
                } else if let Some(mo) = g(8) {
                    month_only(mo, g(9), anchor)
                } else if let Some(rel) = g(10) {
                    relative(rel, anchor)
                } else {
                    g(11).map(str::to_string)
                }
            }
        };
        // "pada tanggal 14 Januari" -> keep "14 Januari" as the text.
        let mut s = m.start();
        let raw = m.as_str();
        let lower = raw.to_lowercase();
        for lead in ["pada tanggal ", "tanggal ", "pada ", "on "] {
            if lower.starts_with(lead)
                && !lower[lead.len()..].starts_with("hari")
                && !lower[lead.len()..].starts_with("bulan")
            {
                s += lead.len();
                break;
            }
        }
        let txt = slice.get(s..m.end()).unwrap_or(raw).trim();
        let txt = txt.strip_prefix("pada ").unwrap_or(txt);
        let txt = txt.strip_prefix("bulan ").unwrap_or(txt);
        let txt = txt.strip_prefix("in ").unwrap_or(txt);
        out.push(TimeExpr {
            start: start + s,
            end: start + m.end(),
            text: txt.to_string(),
            date,
        });
    }
    out
}

/// The article's publication date, the anchor of relative and year-less
/// times.
type Anchor = Option<Date>;

/// A calendar day as `YYYY-MM-DD`, or `None` when there is no such day
/// ("31 Februari").
fn fmt_date(y: i64, m: u32, d: u32) -> Option<String> {
    let (y, m, d) = (
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    );
    Date::new(y, m, d).ok().map(|d| d.to_string())
}

/// Parses the `YYYY-MM-DD` at the start of `s` (a publication date may go
/// on with a time).
pub fn parse_date(s: &str) -> Option<Date> {
    s.get(..10)?.parse().ok()
}

fn day_month(d: &str, mo: &str, y: Option<&str>, anchor: Anchor) -> Option<String> {
    let d: u32 = d.parse().ok().filter(|d| (1..=31).contains(d))?;
    let m = month_index(mo)?;
    let year = match (y.and_then(|y| y.parse::<i64>().ok()), anchor) {
        (Some(y), _) => y,
        // A day without a year is the latest such day not after the article.
        (None, Some(a)) => {
            let (ay, am, ad) = (i64::from(a.year()), a.month() as u32, a.day() as u32);
            if (m, d) > (am, ad) {
                ay - 1
            } else {
                ay
            }
        }
        (None, None) => return None,
    };
    fmt_date(year, m, d)
}

fn month_only(mo: &str, y: Option<&str>, anchor: Anchor) -> Option<String> {
    let m = month_index(mo)?;
    let year = match (y.and_then(|y| y.parse::<i64>().ok()), anchor) {
        (Some(y), _) => y,
        (None, Some(a)) => {
            let ay = i64::from(a.year());
            if m > a.month() as u32 {
                ay - 1
            } else {
                ay
            }
        }
        (None, None) => return None,
    };
    Some(format!("{year:04}-{m:02}"))
}

/// The latest day of that weekday not after the article (the day itself
/// when it is one).
fn weekday(name: &str, anchor: Anchor) -> Option<String> {
    let date = anchor?;
    let target = weekday_index(name)?;
    let today = i64::from(date.weekday().to_monday_zero_offset());
    let back = (today - target).rem_euclid(7);
    shifted(date, -back)
}

fn shifted(date: Date, days: i64) -> Option<String> {
    date.checked_add(Span::new().days(days))
        .ok()
        .map(|d| d.to_string())
}

fn month_of(date: Date, months: i64) -> Option<String> {
    let d = date
        .first_of_month()
        .checked_add(Span::new().months(months))
        .ok()?;
    Some(format!("{:04}-{:02}", d.year(), d.month()))
}

fn relative(rel: &str, anchor: Anchor) -> Option<String> {
    let date = anchor?;
    let year = i64::from(date.year());
    match rel.to_lowercase().as_str() {
        "kemarin" | "yesterday" => shifted(date, -1),
        "hari ini" | "today" => shifted(date, 0),
        "besok" | "tomorrow" => shifted(date, 1),
        // A week is approximate: the day a week before.
        "pekan lalu" | "minggu lalu" | "last week" => shifted(date, -7),
        "pekan depan" | "minggu depan" | "next week" => shifted(date, 7),
        "bulan lalu" | "last month" => month_of(date, -1),
        "bulan depan" | "next month" => month_of(date, 1),
        "tahun lalu" | "last year" => Some(format!("{:04}", year - 1)),
        "tahun depan" | "next year" => Some(format!("{:04}", year + 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn times(s: &str, lang: Language, published: Option<&str>) -> Vec<(String, Option<String>)> {
        find_times(s, 0, s.len(), lang, published)
            .into_iter()
            .map(|t| (t.text, t.date))
            .collect()
    }

    #[test]
    fn indonesian_times() {
        let p = Some("2024-01-20");
        assert_eq!(
            times("uji coba pada tanggal 14 Januari adalah", Language::Id, p),
            vec![("14 Januari".into(), Some("2024-01-14".into()))]
        );
        assert_eq!(
            times("pada hari Minggu, X", Language::Id, p),
            vec![("hari Minggu".into(), Some("2024-01-14".into()))]
        );
        assert_eq!(
            times("di Moskow pekan lalu", Language::Id, p),
            vec![("pekan lalu".into(), Some("2024-01-13".into()))]
        );
        assert_eq!(
            times("pada bulan September ke Rusia", Language::Id, p),
            vec![("September".into(), Some("2023-09".into()))]
        );
        assert_eq!(
            times(
                "Bogor, Selasa (20/10) sore",
                Language::Id,
                Some("2020-10-20")
            ),
            vec![("Selasa (20/10)".into(), Some("2020-10-20".into()))]
        );
        assert_eq!(
            times("di Moskow pekan lalu", Language::Id, None),
            vec![("pekan lalu".into(), None)]
        );
    }

    #[test]
    fn english_times() {
        assert_eq!(
            times("On June 19, 2024, Putin", Language::En, None),
            vec![("June 19, 2024".into(), Some("2024-06-19".into()))]
        );
        assert_eq!(
            times("the 24 March launch", Language::En, Some("2022-05-26")),
            vec![("24 March".into(), Some("2022-03-24".into()))]
        );
        assert_eq!(
            times("met last week", Language::En, Some("2021-08-03")),
            vec![("last week".into(), Some("2021-07-27".into()))]
        );
        assert!(times("she may go", Language::En, None).is_empty());
    }

    #[test]
    fn weekdays_and_impossible_days() {
        let anchor = parse_date("2024-01-20");
        assert_eq!(weekday("sunday", anchor), Some("2024-01-14".into()));
        assert_eq!(weekday("sabtu", anchor), Some("2024-01-20".into()));
        assert_eq!(
            relative("bulan lalu", parse_date("2024-01-05")),
            Some("2023-12".into())
        );
        assert_eq!(
            relative("next month", parse_date("2024-12-31")),
            Some("2025-01".into())
        );
        assert_eq!(
            relative("kemarin", parse_date("2024-03-01")),
            Some("2024-02-29".into())
        );
        assert_eq!(day_month("31", "februari", Some("2024"), None), None);
        // The latest 29 February not after 2024-01-20 would be in 2023: none.
        assert_eq!(day_month("29", "februari", None, anchor), None);
        assert_eq!(parse_date("2024-02-30"), None);
    }
}
