//! Time expressions: absolute ("14 Januari", "June 19, 2024", "hari Minggu",
//! "September") and relative ("pekan lalu", "kemarin", "last week"), resolved
//! against the article's date when it is known and kept as written otherwise.

use crate::model::Language;
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
                            (Some(d), Some(mo), Some((y, _, _))) => Some(fmt_date(y, mo, d)),
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

fn fmt_date(y: i64, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parses YYYY-MM-DD.
pub fn parse_date(s: &str) -> Option<(i64, u32, u32)> {
    let mut it = s.get(..10)?.split('-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

fn day_month(
    d: &str,
    mo: &str,
    y: Option<&str>,
    anchor: Option<(i64, u32, u32)>,
) -> Option<String> {
    let d: u32 = d.parse().ok().filter(|d| (1..=31).contains(d))?;
    let m = month_index(mo)?;
    let year = match (y.and_then(|y| y.parse::<i64>().ok()), anchor) {
        (Some(y), _) => y,
        // A day without a year is the latest such day not after the article.
        (None, Some((ay, am, ad))) => {
            if (m, d) > (am, ad) {
                ay - 1
            } else {
                ay
            }
        }
        (None, None) => return None,
    };
    Some(fmt_date(year, m, d))
}

fn month_only(mo: &str, y: Option<&str>, anchor: Option<(i64, u32, u32)>) -> Option<String> {
    let m = month_index(mo)?;
    let year = match (y.and_then(|y| y.parse::<i64>().ok()), anchor) {
        (Some(y), _) => y,
        (None, Some((ay, am, _))) => {
            if m > am {
                ay - 1
            } else {
                ay
            }
        }
        (None, None) => return None,
    };
    Some(format!("{year:04}-{m:02}"))
}

fn weekday(name: &str, anchor: Option<(i64, u32, u32)>) -> Option<String> {
    let (y, m, d) = anchor?;
    let target = weekday_index(name)?;
    let days = days_from_civil(y, m, d);
    // 1970-01-01 was a Thursday (index 3 with Monday = 0).
    let today = (days + 3).rem_euclid(7);
    let back = (today - target).rem_euclid(7);
    let (y, m, d) = civil_from_days(days - back);
    Some(fmt_date(y, m, d))
}

fn relative(rel: &str, anchor: Option<(i64, u32, u32)>) -> Option<String> {
    let (y, m, d) = anchor?;
    let days = days_from_civil(y, m, d);
    let shift = |n: i64| {
        let (y, m, d) = civil_from_days(days + n);
        fmt_date(y, m, d)
    };
    let prev_month = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    let next_month = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Some(match rel.to_lowercase().as_str() {
        "kemarin" | "yesterday" => shift(-1),
        "hari ini" | "today" => shift(0),
        "besok" | "tomorrow" => shift(1),
        // A week is approximate: the day a week before.
        "pekan lalu" | "minggu lalu" | "last week" => shift(-7),
        "pekan depan" | "minggu depan" | "next week" => shift(7),
        "bulan lalu" | "last month" => format!("{:04}-{:02}", prev_month.0, prev_month.1),
        "bulan depan" | "next month" => format!("{:04}-{:02}", next_month.0, next_month.1),
        "tahun lalu" | "last year" => format!("{:04}", y - 1),
        "tahun depan" | "next year" => format!("{:04}", y + 1),
        _ => return None,
    })
}

/// Days since 1970-01-01 (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
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
    fn civil_roundtrip() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2024, 12, 31), (1999, 3, 1)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
        assert_eq!(
            weekday("sunday", Some((2024, 1, 20))),
            Some("2024-01-14".into())
        );
    }
}
