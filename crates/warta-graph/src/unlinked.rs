//! `warta link --unlinked`: the local entities of a store (those without a
//! QID), the most important first, with what a person needs to link them:
//! type, names, how often and where they are mentioned, and example mentions
//! with article, offsets and, when an event involves the entity there, its
//! sentence. The TSV output is a links-file template (see
//! [`warta_extract::ontology::local_links`]).

use crate::link::{entity_prefix, local_id_of, LinkError};
use crate::store::KgStore;
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Term};
use oxigraph::store::Store;
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use warta_extract::ontology::local_links::HEADER;
use warta_extract::ontology::LocalLinks;
use warta_extract::vocab::{self, IriMinter, ONT};
use warta_wikidata::Candidate;

/// One mention of a local entity.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    pub text: String,
    /// The article's source file (else its headline, else its IRI).
    pub article: String,
    /// The document IRI (its named graph).
    pub document: String,
    pub start: usize,
    pub end: usize,
    /// The sentence of an event the entity takes part in there, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentence: Option<String>,
}

/// A local entity and its use in the store.
#[derive(Debug, Clone, Serialize)]
pub struct Unlinked {
    pub local_id: String,
    pub iri: String,
    /// Entity types (usually one).
    pub types: Vec<String>,
    /// The preferred name (the longest label).
    pub label: String,
    /// The language tag of that label (the language to search it in).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_language: Option<String>,
    /// Every name: labels and alternative labels.
    pub names: Vec<String>,
    /// Language tags of the labels (the articles' languages).
    pub languages: Vec<String>,
    pub mentions: usize,
    pub articles: usize,
    /// Events it takes part in (any role).
    pub events: usize,
    pub examples: Vec<Example>,
    /// The QID the links in use give it, when they do but `warta link` has
    /// not applied them yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending: Option<String>,
    /// Candidates from Wikidata (`--suggest`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Candidate>,
}

fn literal_values(
    store: &Store,
    s: NamedNodeRef<'_>,
    p: NamedNodeRef<'_>,
    g: Option<GraphNameRef<'_>>,
) -> Result<Vec<(String, Option<String>)>, LinkError> {
    let mut out = Vec::new();
    for q in store.quads_for_pattern(Some(s.into()), Some(p), None, g) {
        if let Term::Literal(l) = q?.object {
            out.push((l.value().to_string(), l.language().map(str::to_string)));
        }
    }
    Ok(out)
}

fn first_literal(
    store: &Store,
    s: NamedNodeRef<'_>,
    p: &str,
    g: GraphNameRef<'_>,
) -> Result<Option<String>, LinkError> {
    let p = NamedNode::new_unchecked(p);
    Ok(literal_values(store, s, p.as_ref(), Some(g))?
        .into_iter()
        .next()
        .map(|(v, _)| v))
}

/// Lists the local entities of the store, most articles first, then most
/// mentions, then by id; `examples` mentions each (from different articles
/// first).
pub fn unlinked(
    store: &KgStore,
    minter: &IriMinter,
    links: &LocalLinks,
    examples: usize,
) -> Result<Vec<Unlinked>, LinkError> {
    let st = store.inner();
    let prefix = entity_prefix(minter);
    // local id -> (graph, start, end) of its mentions, from the articles'
    // readings of it
    let mut mentions: BTreeMap<String, BTreeSet<(NamedNode, usize, usize)>> = BTreeMap::new();
    for q in st.quads_for_pattern(None, Some(crate::layout::READING_OF), None, None) {
        let q = q?;
        let (
            NamedOrBlankNode::NamedNode(r),
            Term::NamedNode(e),
            oxigraph::model::GraphName::NamedNode(g),
        ) = (&q.subject, &q.object, &q.graph_name)
        else {
            continue;
        };
        let Some(local) = local_id_of(e.as_str(), &prefix) else {
            continue;
        };
        let set = mentions.entry(local.to_string()).or_default();
        for q in st.quads_for_pattern(Some(r.as_ref().into()), None, None, Some(g.as_ref().into()))
        {
            let q = q?;
            if crate::layout::span_kind(q.predicate.as_ref()).is_none() {
                continue;
            }
            if let Term::Literal(l) = &q.object {
                if let Some((start, end)) = crate::layout::parse_span(l.value()) {
                    set.insert((g.clone(), start, end));
                }
            }
        }
    }
    let roles: Vec<NamedNode> = ["agent", "target", "location", "attributedTo"]
        .iter()
        .map(|r| NamedNode::new_unchecked(format!("{ONT}{r}")))
        .collect();
    let attested_by = NamedNode::new_unchecked(format!("{ONT}attestedBy"));
    let skos_alt = NamedNode::new_unchecked(format!("{}altLabel", vocab::SKOS));
    let mut out = Vec::new();
    for (local, ms) in mentions {
        let node = NamedNode::new_unchecked(minter.entity(&local));
        let mut types = BTreeSet::new();
        for q in st.quads_for_pattern(Some(node.as_ref().into()), Some(rdf::TYPE), None, None) {
            if let Term::NamedNode(t) = q?.object {
                if let Some(name) = t.as_str().strip_prefix(ONT) {
                    types.insert(name.to_string());
                }
            }
        }
        let labels = literal_values(st, node.as_ref(), rdfs::LABEL, None)?;
        let alt = literal_values(st, node.as_ref(), skos_alt.as_ref(), None)?;
        let (label, label_language) = labels
            .iter()
            .min_by_key(|(v, _)| (Reverse(v.len()), v.as_str()))
            .map_or_else(|| (local.clone(), None), |(v, l)| (v.clone(), l.clone()));
        let mut names: Vec<String> = labels
            .iter()
            .chain(&alt)
            .map(|(v, _)| v.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        names.sort_by(|a, b| (Reverse(a.len()), a).cmp(&(Reverse(b.len()), b)));
        let languages: Vec<String> = labels
            .iter()
            .filter_map(|(_, l)| l.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        // Events, by graph, with their attestations.
        let mut events: BTreeSet<NamedNode> = BTreeSet::new();
        let mut event_graphs: BTreeMap<NamedNode, BTreeSet<NamedNode>> = BTreeMap::new();
        for role in &roles {
            for q in
                st.quads_for_pattern(None, Some(role.as_ref()), Some(node.as_ref().into()), None)
            {
                let q = q?;
                if let NamedOrBlankNode::NamedNode(e) = &q.subject {
                    events.insert(e.clone());
                }
            }
        }
        // The events' roles are in the knowledge graph; the articles that
        // read them hold their attestations.
        for e in &events {
            for q in st.quads_for_pattern(
                Some(e.as_ref().into()),
                Some(attested_by.as_ref()),
                None,
                None,
            ) {
                if let oxigraph::model::GraphName::NamedNode(g) = q?.graph_name {
                    event_graphs.entry(g).or_default().insert(e.clone());
                }
            }
        }
        let articles: BTreeSet<&NamedNode> = ms.iter().map(|(g, _, _)| g).collect();
        let articles = articles.len();
        // Examples: names before descriptions and pronouns, one per article
        // first (articles by name), then more.
        struct Seen<'a> {
            graph: &'a NamedNode,
            article: String,
            text: String,
            start: usize,
            end: usize,
        }
        let mut seen: Vec<Seen<'_>> = Vec::new();
        let mut article_names: BTreeMap<&NamedNode, String> = BTreeMap::new();
        // Each article's text, which the mentions' offsets point into.
        let mut texts: BTreeMap<&NamedNode, String> = BTreeMap::new();
        for (g, start, end) in &ms {
            let (start, end) = (*start, *end);
            let gr = GraphNameRef::NamedNode(g.as_ref());
            if !texts.contains_key(g) {
                let t = first_literal(st, g.as_ref(), &format!("{}text", vocab::SCHEMA), gr)?
                    .unwrap_or_default();
                texts.insert(g, t);
            }
            let text = texts
                .get(g)
                .and_then(|t| t.get(start..end))
                .unwrap_or_default()
                .to_string();
            let article = match article_names.get(g) {
                Some(a) => a.clone(),
                None => {
                    let a = match first_literal(st, g.as_ref(), &format!("{ONT}sourceFile"), gr)? {
                        Some(s) => s,
                        None => first_literal(
                            st,
                            g.as_ref(),
                            &format!("{}headline", vocab::SCHEMA),
                            gr,
                        )?
                        .unwrap_or_else(|| g.as_str().to_string()),
                    };
                    article_names.insert(g, a.clone());
                    a
                }
            };
            seen.push(Seen {
                graph: g,
                article,
                text,
                start,
                end,
            });
        }
        seen.sort_by(|a, b| {
            let named = |x: &Seen<'_>| !names.contains(&x.text);
            (&a.article, a.graph, named(a), a.start).cmp(&(&b.article, b.graph, named(b), b.start))
        });
        let mut by_article: Vec<Vec<&Seen<'_>>> = Vec::new();
        for x in &seen {
            match by_article.last_mut() {
                Some(list) if list.first().is_some_and(|f| f.graph == x.graph) => list.push(x),
                _ => by_article.push(vec![x]),
            }
        }
        let mut picked: Vec<&Seen<'_>> = Vec::new();
        let mut round = 0;
        while picked.len() < examples {
            let before = picked.len();
            for list in &by_article {
                if picked.len() < examples {
                    if let Some(x) = list.get(round) {
                        picked.push(x);
                    }
                }
            }
            if picked.len() == before {
                break;
            }
            round += 1;
        }
        let mut ex = Vec::new();
        for x in picked {
            let (g, text, start) = (x.graph, &x.text, x.start);
            let gr = GraphNameRef::NamedNode(g.as_ref());
            // The sentence of an event it takes part in, nearest the mention.
            let mut sentence: Option<(usize, String)> = None;
            for e in event_graphs.get(g).into_iter().flatten() {
                for q in st.quads_for_pattern(
                    Some(e.as_ref().into()),
                    Some(attested_by.as_ref()),
                    None,
                    Some(gr),
                ) {
                    let Term::NamedNode(att) = q?.object else {
                        continue;
                    };
                    let Some(s) =
                        first_literal(st, att.as_ref(), &format!("{ONT}sentenceText"), gr)?
                    else {
                        continue;
                    };
                    if !s.contains(text.as_str()) {
                        continue;
                    }
                    let a_start =
                        first_literal(st, att.as_ref(), &format!("{ONT}startOffset"), gr)?
                            .and_then(|v| v.parse::<usize>().ok())
                            .unwrap_or(0);
                    let distance = a_start.abs_diff(start);
                    if sentence.as_ref().is_none_or(|(d, _)| distance < *d) {
                        sentence = Some((distance, s));
                    }
                }
            }
            ex.push(Example {
                text: text.clone(),
                article: x.article.clone(),
                document: g.as_str().to_string(),
                start,
                end: x.end,
                sentence: sentence.map(|(_, s)| s),
            });
        }
        out.push(Unlinked {
            pending: links.get(&local).map(|l| l.qid.clone()),
            iri: node.as_str().to_string(),
            local_id: local,
            types: types.into_iter().collect(),
            label,
            label_language,
            names,
            languages,
            mentions: ms.len(),
            articles,
            events: events.len(),
            examples: ex,
            suggestions: Vec::new(),
        });
    }
    out.sort_by(|a, b| {
        (Reverse(a.articles), Reverse(a.mentions), &a.local_id).cmp(&(
            Reverse(b.articles),
            Reverse(b.mentions),
            &b.local_id,
        ))
    });
    Ok(out)
}

/// Tabs and line breaks would break TSV rows and table lines.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn cut(s: &str, max: usize) -> String {
    let s = clean(s);
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn example_text(e: &Example) -> String {
    let file = e.article.rsplit('/').next().unwrap_or(&e.article);
    format!("\u{201C}{}\u{201D} {file} @{}-{}", e.text, e.start, e.end)
}

fn candidate_text(c: &Candidate) -> String {
    let mut s = format!("{} {}", c.qid, c.label);
    if let Some(d) = &c.description {
        s.push_str(" \u{2014} ");
        s.push_str(d);
    }
    if c.fits_type {
        s.push_str(" [type fits]");
    }
    clean(&s)
}

/// An aligned table for a person at a terminal; `total` is the number of
/// local entities before any `--limit`.
pub fn write_table(list: &[Unlinked], total: usize, out: &mut dyn Write) -> io::Result<()> {
    let header = [
        "local_id", "type", "mentions", "articles", "events", "label", "example",
    ];
    let rows: Vec<[String; 7]> = list
        .iter()
        .map(|u| {
            let mut id = cut(&u.local_id, 40);
            if let Some(q) = &u.pending {
                id = format!("{id} (\u{2192}{q})");
            }
            [
                id,
                u.types.join(","),
                u.mentions.to_string(),
                u.articles.to_string(),
                u.events.to_string(),
                cut(&u.label, 40),
                u.examples
                    .first()
                    .map_or(String::new(), |e| cut(&example_text(e), 70)),
            ]
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let numeric = [false, false, true, true, true, false, false];
    let line = |cells: &[String], out: &mut dyn Write| -> io::Result<()> {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(c.chars().count());
            if i > 0 {
                s.push_str("  ");
            }
            if numeric[i] {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < cells.len() {
                    s.push_str(&" ".repeat(pad));
                }
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(&header.map(str::to_string), out)?;
    for (u, r) in list.iter().zip(&rows) {
        line(r, out)?;
        for c in &u.suggestions {
            writeln!(out, "    ? {}", cut(&candidate_text(c), 110))?;
        }
    }
    let pending = list.iter().filter(|u| u.pending.is_some()).count();
    if list.len() < total {
        write!(out, "{} of ", list.len())?;
    }
    write!(
        out,
        "{total} local entit{}",
        if total == 1 { "y" } else { "ies" }
    )?;
    if pending > 0 {
        write!(
            out,
            "; {pending} (\u{2192}Q…) linked in the links in use but not in the store yet: run `warta link`"
        )?;
    }
    writeln!(out)
}

/// A links-file template: the header, then one row per entity with the
/// `qid` column empty (or the pending QID), warta's label, and a note with the
/// type, counts and an example; `--suggest` candidates follow as comments.
pub fn write_tsv(list: &[Unlinked], out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "# Local entities, most frequent first. Fill in qid (and type where warta's guess is wrong),\n\
         # then add the rows to local-links.tsv; rows without a qid are skipped. Candidates (?) are suggestions."
    )?;
    writeln!(out, "{HEADER}")?;
    for u in list {
        let mut note = format!(
            "{}; {} mention{} in {} article{}; {} event{}",
            u.types.join(","),
            u.mentions,
            if u.mentions == 1 { "" } else { "s" },
            u.articles,
            if u.articles == 1 { "" } else { "s" },
            u.events,
            if u.events == 1 { "" } else { "s" },
        );
        if let Some(e) = u.examples.first() {
            note.push_str("; e.g. ");
            note.push_str(&example_text(e));
        }
        writeln!(
            out,
            "{}\t{}\t{}\t\t{}",
            clean(&u.local_id),
            u.pending.as_deref().unwrap_or(""),
            clean(&u.label),
            clean(&note)
        )?;
        for c in &u.suggestions {
            writeln!(out, "#\t? {}", candidate_text(c))?;
        }
    }
    Ok(())
}

/// Everything, as a JSON array.
pub fn write_json(list: &[Unlinked], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, list).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_rows_keep_five_columns_whatever_the_names_hold() {
        let u = Unlinked {
            local_id: "odd_name".to_string(),
            iri: "https://w3id.org/warta/entity/odd_name".to_string(),
            types: vec!["Person".to_string()],
            label: "Odd\tName\nSecond line".to_string(),
            label_language: Some("en".to_string()),
            names: Vec::new(),
            languages: vec!["en".to_string()],
            mentions: 1,
            articles: 1,
            events: 0,
            examples: vec![Example {
                text: "Odd\tName".to_string(),
                article: "dir/a.txt".to_string(),
                document: "https://w3id.org/warta/doc/x".to_string(),
                start: 3,
                end: 11,
                sentence: None,
            }],
            pending: Some("Q5".to_string()),
            suggestions: vec![Candidate {
                qid: "Q5".to_string(),
                label: "human".to_string(),
                description: Some("a\tb".to_string()),
                fits_type: false,
            }],
        };
        let mut out = Vec::new();
        write_tsv(std::slice::from_ref(&u), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let rows: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(rows.len(), 2, "{text}");
        assert_eq!(rows[1].split('\t').count(), 5, "{text}");
        assert!(rows[1].starts_with("odd_name\tQ5\tOdd Name Second line\t\tPerson; 1 mention in 1 article; 0 events; e.g. "), "{text}");
        assert!(text.contains("#\t? Q5 human \u{2014} a b\n"), "{text}");
        let links = warta_extract::ontology::LocalLinks::parse(&text, "template.tsv").unwrap();
        assert_eq!(links.get("odd_name").unwrap().qid, "Q5");
        let mut table = Vec::new();
        write_table(&[u], 4, &mut table).unwrap();
        let table = String::from_utf8(table).unwrap();
        assert!(
            table.contains("odd_name (\u{2192}Q5)")
                && table.contains("1 of 4 local entities; 1 (\u{2192}Q…)"),
            "{table}"
        );
    }
}
