//! `/entity/ID`: one entity's page. ID is a Wikidata id (`Q7747`) or the
//! local id warta minted (the last segment of the entity's IRI).
//!
//! The text (labels, timeline, facts with their sentences) is HTML; the
//! neighbourhood picture is drawn by `entity.js` from the JSON the page
//! carries (`#warta-entity-data`, also at `?format=json`).

use crate::http::{self, escape_html, HttpError, HttpResult};
use crate::pages::{
    entity_href, event_state, local_name, marked_sentence, not_found, select, shell, value,
};
use crate::Service;
use oxhttp::model::{Body, Request, StatusCode};
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::QuerySolution;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Edges drawn at most: the most attested first. More would be a hairball.
const MAX_EDGES: usize = 300;

/// What the page says of the entity itself.
#[derive(Default)]
struct Head {
    iri: String,
    id: String,
    label: String,
    types: BTreeSet<String>,
    labels: BTreeMap<String, BTreeSet<String>>,
    aliases: BTreeSet<String>,
    wikidata: Option<String>,
}

/// One event the entity takes part in.
struct Event {
    iri: String,
    relation: String,
    subject: Party,
    object: Party,
    polarity: String,
    modality: String,
    date: Option<String>,
    attestations: u64,
}

struct Party {
    iri: String,
    label: String,
    class: String,
}

/// One sentence behind an event.
struct Fact {
    event: String,
    relation: String,
    negated: bool,
    planned: bool,
    sha: String,
    sentence: String,
    evidence: String,
    headline: Option<String>,
    published: Option<String>,
    time: Option<String>,
}

pub fn page(service: &Service, request: &Request<Body>, id: &str) -> HttpResult {
    let id = http::decode_segment(id);
    let iri = service.minter.entity(&id);
    let node = NamedNode::new(iri.clone())
        .map_err(|_| HttpError::not_found(format!("{id} is not an entity id")))?;
    let bind = [("entity", Term::from(node))];
    let Some(head) = head(service, &bind, iri, id.clone())? else {
        return not_found(&format!("No entity {id} in this store."));
    };
    let events = events(service, &bind)?;
    let facts = facts(service, &bind)?;
    let data = graph_data(service, &head, &events);
    let params = http::url_params(request);
    if http::single(&params, "format")? == Some("json") {
        return Ok(http::json(StatusCode::OK, &data));
    }
    let body = render(&head, &events, &facts, &data);
    Ok(http::html(
        StatusCode::OK,
        shell(
            &head.label,
            &body,
            &["/assets/vendor/cytoscape.min.js", "/assets/entity.js"],
            &[],
        ),
    ))
}

fn head(
    service: &Service,
    bind: &[(&str, Term)],
    iri: String,
    id: String,
) -> Result<Option<Head>, HttpError> {
    let rows = select(service, "entity-head", bind)?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut head = Head {
        label: id.clone(),
        iri,
        id,
        ..Head::default()
    };
    for row in &rows {
        let (Some(property), Some(term)) = (value(row, "property"), row.get("value")) else {
            continue;
        };
        let text = value(row, "value").unwrap_or_default();
        match local_name(&property) {
            "type" => {
                head.types.insert(local_name(&text).to_owned());
            }
            "label" => {
                let lang = match term {
                    Term::Literal(l) => l.language().unwrap_or("").to_owned(),
                    _ => String::new(),
                };
                head.labels.entry(lang).or_default().insert(text);
            }
            "altLabel" => {
                head.aliases.insert(text);
            }
            "displayLabel" => head.label = text,
            "sameAs" if text.starts_with("http://www.wikidata.org/entity/") => {
                head.wikidata = Some(text);
            }
            _ => {}
        }
    }
    Ok(Some(head))
}

fn party(row: &QuerySolution, var: &str) -> Option<Party> {
    let iri = value(row, var)?;
    Some(Party {
        label: value(row, &format!("{var}Label")).unwrap_or_else(|| local_name(&iri).to_owned()),
        class: value(row, &format!("{var}Type"))
            .map(|c| local_name(&c).to_owned())
            .unwrap_or_default(),
        iri,
    })
}

fn events(service: &Service, bind: &[(&str, Term)]) -> Result<Vec<Event>, HttpError> {
    let rows = select(service, "entity-events", bind)?;
    // An end with two types gives two rows: keep the event once.
    let mut seen = BTreeSet::new();
    let mut events = Vec::new();
    for row in &rows {
        let Some(iri) = value(row, "event") else {
            continue;
        };
        if !seen.insert(iri.clone()) {
            continue;
        }
        let (Some(subject), Some(object)) = (party(row, "x"), party(row, "y")) else {
            continue;
        };
        events.push(Event {
            relation: value(row, "relation").unwrap_or_default(),
            polarity: value(row, "polarity").unwrap_or_default(),
            modality: value(row, "modality").unwrap_or_default(),
            date: value(row, "date"),
            attestations: value(row, "attestations")
                .and_then(|n| n.parse().ok())
                .unwrap_or(1),
            iri,
            subject,
            object,
        });
    }
    events.sort_by(|a, b| b.attestations.cmp(&a.attestations).then(a.iri.cmp(&b.iri)));
    Ok(events)
}

fn facts(service: &Service, bind: &[(&str, Term)]) -> Result<Vec<Fact>, HttpError> {
    let rows = select(service, "entity-facts", bind)?;
    let mut facts: Vec<Fact> = rows
        .iter()
        .filter_map(|row| {
            Some(Fact {
                event: value(row, "event")?,
                relation: value(row, "relation").unwrap_or_default(),
                negated: value(row, "polarity").as_deref() == Some("negative"),
                planned: value(row, "modality").as_deref() != Some("asserted"),
                sha: value(row, "sha")?,
                sentence: value(row, "sentence").unwrap_or_default(),
                evidence: value(row, "evidence").unwrap_or_default(),
                headline: value(row, "headline"),
                published: value(row, "published"),
                time: value(row, "time"),
            })
        })
        .collect();
    facts.sort_by(|a, b| {
        (a.published.is_none(), &a.published, &a.sha, &a.sentence).cmp(&(
            b.published.is_none(),
            &b.published,
            &b.sha,
            &b.sentence,
        ))
    });
    facts.dedup_by(|a, b| a.event == b.event && a.sha == b.sha && a.sentence == b.sentence);
    Ok(facts)
}

/// The picture's data: entities as nodes, events as edges.
fn graph_data(service: &Service, head: &Head, events: &[Event]) -> serde_json::Value {
    let mut nodes: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    let focus_class = head.types.iter().next().cloned().unwrap_or_default();
    nodes.insert(
        head.iri.clone(),
        node_json(service, &head.iri, &head.label, &focus_class, true),
    );
    let mut edges = Vec::new();
    for e in events.iter().take(MAX_EDGES) {
        for p in [&e.subject, &e.object] {
            nodes
                .entry(p.iri.clone())
                .or_insert_with(|| node_json(service, &p.iri, &p.label, &p.class, false));
        }
        edges.push(serde_json::json!({
            "id": e.iri, "source": e.subject.iri, "target": e.object.iri,
            "relation": e.relation, "polarity": e.polarity, "modality": e.modality,
            "date": e.date, "attestations": e.attestations,
        }));
    }
    serde_json::json!({
        "entity": {
            "iri": head.iri, "id": head.id, "label": head.label,
            "type": focus_class, "wikidata": head.wikidata,
        },
        "nodes": nodes.into_values().collect::<Vec<_>>(),
        "edges": edges,
        "truncated": events.len() > MAX_EDGES,
    })
}

fn node_json(
    service: &Service,
    iri: &str,
    label: &str,
    class: &str,
    focus: bool,
) -> serde_json::Value {
    let href = entity_href(service, iri);
    serde_json::json!({ "id": iri, "label": label, "type": class, "href": href, "focus": focus })
}

fn render(head: &Head, events: &[Event], facts: &[Fact], data: &serde_json::Value) -> String {
    let mut body = render_head(head);
    body.push_str(&format!(
        "<section><h2>Neighbourhood</h2><div id=\"graph\" class=\"graph\"><p class=\"muted\">The picture needs JavaScript; the timeline and facts below do not.</p></div>\
         <div id=\"graph-legend\" class=\"legend\"></div>{}</section>\n",
        if events.len() > MAX_EDGES {
            format!("<p class=\"muted\">The picture shows the {MAX_EDGES} best-attested of {} events.</p>", events.len())
        } else {
            String::new()
        }
    ));
    body.push_str(&render_timeline(events, facts));
    body.push_str(&render_facts(events, facts));
    // `</` inside the JSON would end the script element early.
    let json = data.to_string().replace("</", "<\\/");
    body.push_str(&format!(
        "<script type=\"application/json\" id=\"warta-entity-data\">{json}</script>"
    ));
    body
}

fn render_head(head: &Head) -> String {
    let mut s = format!(
        "<div class=\"entity-head\"><h1>{}</h1><p><span class=\"type\">{}</span>",
        escape_html(&head.label),
        escape_html(&head.types.iter().cloned().collect::<Vec<_>>().join(", "))
    );
    if let Some(wd) = &head.wikidata {
        s.push_str(&format!(
            " · <a class=\"wikidata\" href=\"https://www.wikidata.org/wiki/{id}\">Wikidata {id}</a>",
            id = escape_html(local_name(wd))
        ));
    }
    s.push_str(&format!(
        " · <code>{}</code></p>\n<dl class=\"labels\">",
        escape_html(&head.iri)
    ));
    for (lang, names) in &head.labels {
        let shown = if lang.is_empty() {
            "label"
        } else {
            lang.as_str()
        };
        s.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>",
            escape_html(shown),
            escape_html(&names.iter().cloned().collect::<Vec<_>>().join(" · "))
        ));
    }
    if !head.aliases.is_empty() {
        s.push_str(&format!(
            "<dt>also</dt><dd>{}</dd>",
            escape_html(&head.aliases.iter().cloned().collect::<Vec<_>>().join(" · "))
        ));
    }
    s.push_str("</dl></div>\n");
    s
}

/// ` negated` / ` planned`, to follow another class.
fn state_class(negated: bool, planned: bool) -> String {
    event_state(negated, planned).map_or_else(String::new, |c| format!(" {c}"))
}

fn render_timeline(events: &[Event], facts: &[Fact]) -> String {
    // An event's date, else the first publication date of an article that reports it.
    let mut published: HashMap<&str, &str> = HashMap::new();
    for f in facts {
        if let Some(p) = &f.published {
            published.entry(f.event.as_str()).or_insert(p.as_str());
        }
    }
    let mut dated: Vec<(String, &Event)> = events
        .iter()
        .filter(|e| e.relation != "holdsPosition")
        .map(|e| {
            let when = e
                .date
                .clone()
                .or_else(|| published.get(e.iri.as_str()).map(|p| p.to_string()));
            (when.unwrap_or_default(), e)
        })
        .collect();
    dated.sort_by(|a, b| (a.0.is_empty(), &a.0).cmp(&(b.0.is_empty(), &b.0)));
    let mut s = String::from("<section><h2>Timeline</h2>\n<ol class=\"timeline\">\n");
    for (when, e) in &dated {
        s.push_str(&format!(
            "<li class=\"event{}\"><span class=\"date\">{}</span> {} <span class=\"relation\">{}</span> {}</li>\n",
            state_class(e.polarity == "negative", e.modality != "asserted"),
            if when.is_empty() { "undated".to_owned() } else { escape_html(when) },
            escape_html(&e.subject.label),
            escape_html(&e.relation),
            escape_html(&e.object.label)
        ));
    }
    if dated.is_empty() {
        s.push_str("<li class=\"muted\">No events.</li>\n");
    }
    s.push_str("</ol></section>\n");
    s
}

fn render_facts(events: &[Event], facts: &[Fact]) -> String {
    // Who and whom, from the event each sentence supports.
    let parties: HashMap<&str, (&str, &str)> = events
        .iter()
        .map(|e| {
            (
                e.iri.as_str(),
                (e.subject.label.as_str(), e.object.label.as_str()),
            )
        })
        .collect();
    let mut s = format!(
        "<section><h2>Facts and their sentences ({})</h2>\n<ul class=\"facts\">\n",
        facts.len()
    );
    for f in facts {
        let source = f
            .headline
            .clone()
            .unwrap_or_else(|| f.sha.chars().take(12).collect());
        let when = [f.published.as_deref(), f.time.as_deref()]
            .into_iter()
            .flatten()
            .map(escape_html)
            .collect::<Vec<_>>()
            .join(" · ");
        s.push_str(&format!(
            "<li class=\"fact{}\">{}<span class=\"relation\">{}</span>{} <q class=\"sentence\">{}</q> \
             <a class=\"source\" href=\"/doc/{}\">{}</a> <span class=\"muted\">{when}</span></li>\n",
            state_class(f.negated, f.planned),
            parties
                .get(f.event.as_str())
                .map(|(who, _)| format!("<span class=\"who\">{}</span> ", escape_html(who)))
                .unwrap_or_default(),
            escape_html(&f.relation),
            parties
                .get(f.event.as_str())
                .map(|(_, whom)| format!(" <span class=\"whom\">{}</span>", escape_html(whom)))
                .unwrap_or_default(),
            marked_sentence(&f.sentence, &f.evidence),
            escape_html(&f.sha),
            escape_html(&source)
        ));
    }
    s.push_str("</ul></section>\n");
    s
}
