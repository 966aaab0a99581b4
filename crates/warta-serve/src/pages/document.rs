//! `/doc/SHA256`: one article as warta read it: its text with the mentions
//! and event triggers marked (the way `warta explain` shows them in a
//! terminal), and the events it reports.

use crate::http::{self, escape_html, HttpError, HttpResult};
use crate::pages::{entity_href, event_state, local_name, not_found, select, shell, value};
use crate::Service;
use oxhttp::model::StatusCode;
use oxigraph::model::{NamedNode, Term};
use warta_graph::layout::parse_span;

/// A marked stretch of the article's text (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mark {
    start: usize,
    end: usize,
    /// The opening tag.
    open: String,
    /// Lower ranks are placed first (mentions 0, triggers 1).
    rank: u8,
}

struct Head {
    headline: Option<String>,
    text: String,
    published: Option<String>,
    source: Option<String>,
    url: Option<String>,
}

pub fn page(service: &Service, sha: &str) -> HttpResult {
    let sha = http::decode_segment(sha).to_ascii_lowercase();
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return not_found(&format!("{sha} is not a document id (64 hex digits)."));
    }
    let doc = NamedNode::new(service.minter.document(&sha))
        .map_err(|e| HttpError::internal(e.to_string()))?;
    let bind = [("doc", Term::from(doc))];
    let Some(head) = head(service, &bind)? else {
        return not_found(&format!("No article {sha} in this store."));
    };
    let mentions = mentions(service, &bind)?;
    let events = select(service, "document-events", &bind)?;
    // Mentions first: a trigger that overlaps a name is left out.
    let mut marks = mentions;
    marks.extend(triggers(&head.text, &events));
    let title = head
        .headline
        .clone()
        .unwrap_or_else(|| sha[..12].to_owned());
    let mut body = render_head(&head, &title);
    body.push_str(&format!(
        "<section><h2>Text</h2><div class=\"doc-text\">{}</div></section>\n",
        marked_text(&head.text, marks)
    ));
    body.push_str(&render_events(service, &events));
    Ok(http::html(StatusCode::OK, shell(&title, &body, &[], &[])))
}

fn head(service: &Service, bind: &[(&str, Term)]) -> Result<Option<Head>, HttpError> {
    let rows = select(service, "document-head", bind)?;
    let mut head = Head {
        headline: None,
        text: String::new(),
        published: None,
        source: None,
        url: None,
    };
    let mut found = false;
    for row in &rows {
        let (Some(property), Some(v)) = (value(row, "property"), value(row, "value")) else {
            continue;
        };
        match local_name(&property) {
            "text" => {
                head.text = v;
                found = true;
            }
            "headline" => head.headline = Some(v),
            "datePublished" => head.published = Some(v),
            "sourceFile" => head.source = Some(v),
            "url" => head.url = Some(v),
            _ => {}
        }
    }
    Ok(found.then_some(head))
}

fn mentions(service: &Service, bind: &[(&str, Term)]) -> Result<Vec<Mark>, HttpError> {
    let rows = select(service, "document-mentions", bind)?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let (start, end) = parse_span(&value(row, "span")?)?;
            let entity = value(row, "entity")?;
            let kind =
                value(row, "kind").map(|k| local_name(&k).trim_end_matches("Span").to_owned());
            let label = value(row, "label").unwrap_or_else(|| local_name(&entity).to_owned());
            let link = entity_href(service, &entity).unwrap_or_default();
            Some(Mark {
                start,
                end,
                rank: 0,
                open: format!(
                    "<mark class=\"mention\" data-entity=\"{}\" data-kind=\"{}\" title=\"{}\">",
                    escape_html(&link),
                    escape_html(&kind.unwrap_or_default()),
                    escape_html(&label)
                ),
            })
        })
        .collect())
}

/// Each event's trigger word, found inside its evidence span.
fn triggers(text: &str, events: &[oxigraph::sparql::QuerySolution]) -> Vec<Mark> {
    let mut marks = Vec::new();
    for row in events {
        let number = |v: &str| value(row, v).and_then(|n| n.parse::<usize>().ok());
        let (Some(start), Some(end), Some(trigger)) =
            (number("start"), number("end"), value(row, "trigger"))
        else {
            continue;
        };
        let Some(evidence) = text.get(start..end.min(text.len())) else {
            continue;
        };
        let Some(at) = evidence.to_lowercase().find(&trigger.to_lowercase()) else {
            continue;
        };
        // Lower-casing can change byte lengths outside ASCII: only keep a
        // match that lands on the same text.
        let (s, e) = (start + at, start + at + trigger.len());
        if text.get(s..e).is_some_and(|w| {
            w.eq_ignore_ascii_case(&trigger) || w.to_lowercase() == trigger.to_lowercase()
        }) {
            let relation = value(row, "relation").unwrap_or_default();
            marks.push(Mark {
                start: s,
                end: e,
                rank: 1,
                open: format!(
                    "<mark class=\"trigger\" data-relation=\"{}\" title=\"{}\">",
                    escape_html(&relation),
                    escape_html(&relation)
                ),
            });
        }
    }
    marks
}

/// The text, escaped, with the marks that fit: by rank, a mark that
/// overlaps one already placed is left out (marks never nest).
fn marked_text(text: &str, mut marks: Vec<Mark>) -> String {
    marks.retain(|m| {
        m.start < m.end && text.is_char_boundary(m.start) && text.get(m.start..m.end).is_some()
    });
    marks.sort_by_key(|m| (m.rank, m.start, std::cmp::Reverse(m.end)));
    let mut placed: Vec<Mark> = Vec::new();
    for m in marks {
        if placed.iter().all(|p| m.end <= p.start || m.start >= p.end) {
            placed.push(m);
        }
    }
    placed.sort_by_key(|m| m.start);
    let mut out = String::with_capacity(text.len() * 2);
    let mut at = 0;
    for m in placed {
        out.push_str(&escape_html(&text[at..m.start]));
        out.push_str(&m.open);
        out.push_str(&escape_html(&text[m.start..m.end]));
        out.push_str("</mark>");
        at = m.end;
    }
    out.push_str(&escape_html(&text[at..]));
    out
}

fn render_head(head: &Head, title: &str) -> String {
    let mut s = format!("<h1>{}</h1>\n<p class=\"muted\">", escape_html(title));
    let mut parts = Vec::new();
    if let Some(p) = &head.published {
        parts.push(escape_html(p));
    }
    if let Some(src) = &head.source {
        parts.push(format!("<code>{}</code>", escape_html(src)));
    }
    if let Some(url) = &head.url {
        parts.push(format!("<a href=\"{u}\">{u}</a>", u = escape_html(url)));
    }
    s.push_str(&parts.join(" · "));
    s.push_str("</p>\n");
    s
}

fn render_events(service: &Service, events: &[oxigraph::sparql::QuerySolution]) -> String {
    let link = |iri: Option<String>, label: Option<String>| {
        let iri = iri.unwrap_or_default();
        let label = escape_html(&label.unwrap_or_else(|| local_name(&iri).to_owned()));
        match entity_href(service, &iri) {
            Some(href) => format!("<a href=\"{href}\">{label}</a>"),
            None => label,
        }
    };
    let mut s = String::from(
        "<section><h2>Events</h2>\n<table class=\"events\"><thead><tr><th>who</th><th>relation</th><th>whom</th><th>trigger</th><th>rule</th></tr></thead><tbody>\n",
    );
    for row in events {
        let negated = value(row, "polarity").as_deref() == Some("negative");
        let planned = value(row, "modality").as_deref() != Some("asserted");
        let class =
            event_state(negated, planned).map_or_else(String::new, |c| format!(" class=\"{c}\""));
        s.push_str(&format!(
            "<tr{class}><td>{}</td><td class=\"relation\">{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>\n",
            link(value(row, "x"), value(row, "xLabel")),
            escape_html(&value(row, "relation").unwrap_or_default()),
            link(value(row, "y"), value(row, "yLabel")),
            escape_html(&value(row, "trigger").unwrap_or_default()),
            escape_html(&value(row, "rule").unwrap_or_default())
        ));
    }
    s.push_str("</tbody></table></section>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize) -> Mark {
        Mark {
            start,
            end,
            open: "<mark>".into(),
            rank: 0,
        }
    }

    #[test]
    fn marks_are_placed_escaped_and_never_nested() {
        let text = "Jokowi met <Suga> in Tokyo";
        let out = marked_text(
            text,
            vec![mark(0, 6), mark(2, 4), mark(21, 26), mark(30, 40)],
        );
        assert_eq!(
            out,
            "<mark>Jokowi</mark> met &lt;Suga&gt; in <mark>Tokyo</mark>"
        );
        // A trigger spanning a name gives way to the name.
        let mut long = mark(0, 10);
        long.rank = 1;
        let out = marked_text(text, vec![long, mark(2, 4)]);
        assert_eq!(out, "Jo<mark>ko</mark>wi met &lt;Suga&gt; in Tokyo");
    }
}
