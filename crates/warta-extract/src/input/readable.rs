//! A saved news page to its article: an HTML5 parse (html5ever, through
//! `scraper`), the page's metadata, and the main content without the page's
//! furniture.
//!
//! A news page is an article inside navigation, a masthead, "Trending" and
//! "Related" lists, share buttons, captions, a cookie banner and a footer.
//! Their headlines are sentences too ("China condemns Japan" in a trending
//! link), so keeping them invents events. The reader:
//!
//! 1. takes the metadata: the headline (`og:title`, else the first `<h1>`,
//!    else `<title>`), the publication date (`article:published_time`,
//!    JSON-LD `datePublished`, `<time datetime>`), the URL (`og:url`, else
//!    the canonical link) and the language (`<html lang>`);
//! 2. picks the content root: `<article>` / `[itemprop=articleBody]` /
//!    `<main>` when the page marks it, else the element whose own paragraphs
//!    hold the most text (the Readability idea, reduced to its core);
//! 3. writes the root's text, skipping furniture: `nav`, `header`, `footer`,
//!    `aside`, `form`, `figure`, scripts and styles, and any element whose
//!    class or id names a furniture block (related, trending, share, cookie,
//!    comment, newsletter ...). Block elements end paragraphs.

use super::metadata::clean_title;
use super::normalise::normalise_text;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};

/// What the reader keeps of a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    pub title: Option<String>,
    pub text: String,
    pub published: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
}

/// Elements that are never article text.
const FURNITURE_TAGS: &[&str] = &[
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "figure",
    "figcaption",
    "script",
    "style",
    "noscript",
    "iframe",
    "svg",
    "template",
    "button",
    "select",
    "textarea",
    "object",
    "math",
];

/// Words in a class or id that mark a furniture block.
const FURNITURE_WORDS: &[&str] = &[
    "related",
    "trending",
    "popular",
    "share",
    "social",
    "cookie",
    "consent",
    "comment",
    "newsletter",
    "subscribe",
    "promo",
    "advert",
    "banner",
    "breadcrumb",
    "sidebar",
    "menu",
    "navbar",
    "footer",
    "masthead",
    "caption",
    "recommend",
    "terpopuler",
    "terkait",
    "baca-juga",
    "bacajuga",
    "tag-list",
    "tags",
];

fn selector(css: &str) -> Option<Selector> {
    Selector::parse(css).ok()
}

/// Reads a page.
pub fn read_page(html: &str) -> Page {
    let doc = Html::parse_document(html);
    let root = content_root(&doc);
    let mut text = String::new();
    if let Some(root) = root {
        write_text(root, &mut text);
    }
    Page {
        title: headline(&doc),
        text: normalise_text(&collapse(&text)),
        published: published(&doc),
        url: meta(&doc, "meta[property='og:url']", "content")
            .or_else(|| meta(&doc, "link[rel='canonical']", "href"))
            .filter(|u| u.starts_with("http://") || u.starts_with("https://")),
        language: meta(&doc, "html", "lang")
            .map(|l| {
                l.split(['-', '_'])
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase()
            })
            .filter(|l| !l.is_empty()),
    }
}

/// The first non-blank value of `attribute` on an element `css` selects.
/// Pages nested deeper than this go through the plain tag stripper: the
/// HTML5 tree builder checks element scope down the stack of open elements
/// at each tag, so its time grows with the square of the depth (40,000
/// nested `<div>`s take seconds). Browsers cap the tree's depth in the
/// hundreds; real pages stay far below.
pub(super) const MAX_NESTING: usize = 4_096;

/// Elements whose end tag the parser may supply, and void elements: an
/// unclosed one does not deepen the tree.
const SELF_CLOSING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp",
    "thead", "tbody", "tfoot", "colgroup", "caption", "html", "head", "body",
];

/// How deep the page's elements nest, estimated from its tags alone in one
/// pass (start tags that need an end tag, minus end tags).
pub(super) fn nesting_estimate(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut at = 0;
    while let Some(lt) = bytes[at..].iter().position(|&b| b == b'<') {
        let tag = at + lt + 1;
        at = tag;
        let closing = bytes.get(tag) == Some(&b'/');
        let name_start = tag + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        if SELF_CLOSING.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            let end = bytes[name_start..].iter().position(|&b| b == b'>');
            let self_closed = end.is_some_and(|e| e > 0 && bytes[name_start + e - 1] == b'/');
            if !self_closed {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
    }
    deepest
}

fn meta(doc: &Html, css: &str, attribute: &str) -> Option<String> {
    let sel = selector(css)?;
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attribute))
        .map(str::trim)
        .find(|v| !v.is_empty())
        .map(str::to_owned)
}

fn element_text(e: ElementRef<'_>) -> String {
    e.text().collect::<Vec<_>>().join(" ")
}

fn headline(doc: &Html) -> Option<String> {
    meta(doc, "meta[property='og:title']", "content")
        .or_else(|| {
            let sel = selector("h1")?;
            doc.select(&sel)
                .map(element_text)
                .find(|t| !t.trim().is_empty())
        })
        .or_else(|| {
            let sel = selector("title")?;
            doc.select(&sel).map(element_text).next()
        })
        .and_then(|t| clean_title(&t))
}

fn published(doc: &Html) -> Option<String> {
    meta(doc, "meta[property='article:published_time']", "content")
        .or_else(|| {
            meta(
                doc,
                "meta[name='pubdate'], meta[name='date'], meta[itemprop='datePublished']",
                "content",
            )
        })
        .or_else(|| json_ld_date(doc))
        .or_else(|| meta(doc, "time[datetime]", "datetime"))
}

/// `datePublished` from the page's JSON-LD (an object, an array, or a
/// `@graph` of them).
fn json_ld_date(doc: &Html) -> Option<String> {
    let sel = selector("script[type='application/ld+json']")?;
    fn find(v: &serde_json::Value) -> Option<String> {
        match v {
            serde_json::Value::Object(map) => map
                .get("datePublished")
                .and_then(|d| d.as_str().map(str::to_owned))
                .or_else(|| map.values().find_map(find)),
            serde_json::Value::Array(items) => items.iter().find_map(find),
            _ => None,
        }
    }
    doc.select(&sel)
        .filter_map(|s| serde_json::from_str::<serde_json::Value>(&element_text(s)).ok())
        .find_map(|v| find(&v))
}

fn is_furniture(e: ElementRef<'_>) -> bool {
    let el = e.value();
    if FURNITURE_TAGS.contains(&el.name()) {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    let role = el.attr("role").unwrap_or("");
    if [
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "dialog",
    ]
    .contains(&role)
    {
        return true;
    }
    let names = format!(
        "{} {}",
        el.attr("class").unwrap_or(""),
        el.attr("id").unwrap_or("")
    )
    .to_ascii_lowercase();
    names
        .split(|c: char| c.is_whitespace() || c == '_')
        .any(|token| {
            // The word itself, or a `word-...` / `...-word` compound.
            FURNITURE_WORDS.iter().any(|w| {
                token == *w
                    || token.strip_prefix(w).is_some_and(|r| r.starts_with('-'))
                    || token.strip_suffix(w).is_some_and(|r| r.ends_with('-'))
            })
        })
}

/// The element that holds the article.
fn content_root(doc: &Html) -> Option<ElementRef<'_>> {
    let paragraphs = selector("p")?;
    for css in [
        "[itemprop='articleBody']",
        "article",
        "main",
        "[role='main']",
    ] {
        let Some(sel) = selector(css) else { continue };
        // The marked element with the most paragraph text (a page may mark
        // teasers as articles too).
        if let Some((_, best)) = doc
            .select(&sel)
            .filter(|e| !is_furniture(*e))
            .map(|e| (paragraph_chars(e, &paragraphs), e))
            .filter(|(chars, _)| *chars > 0)
            .max_by_key(|(chars, _)| *chars)
        {
            return Some(best);
        }
    }
    let blocks = selector("div, section, td")?;
    doc.select(&blocks)
        .filter(|e| !is_furniture(*e))
        .map(|e| (own_paragraph_chars(e), e))
        .filter(|(chars, _)| *chars > 0)
        .max_by_key(|(chars, _)| *chars)
        .map(|(_, e)| e)
        .or_else(|| selector("body").and_then(|b| doc.select(&b).next()))
}

/// Characters of text in the `<p>` elements under `e`, outside furniture.
fn paragraph_chars(e: ElementRef<'_>, paragraphs: &Selector) -> usize {
    e.select(paragraphs)
        .filter(|p| !p.ancestors().filter_map(ElementRef::wrap).any(is_furniture))
        .map(|p| element_text(p).trim().chars().count())
        .sum()
}

/// Characters in the `<p>` children of `e` itself.
fn own_paragraph_chars(e: ElementRef<'_>) -> usize {
    e.children()
        .filter_map(ElementRef::wrap)
        .filter(|c| c.value().name() == "p")
        .map(|p| element_text(p).trim().chars().count())
        .sum()
}

fn is_block(name: &str) -> bool {
    super::html::BLOCK_ELEMENTS.contains(&name)
}

/// The text under `e`, furniture skipped, blocks as paragraph breaks. A
/// walk over the tree's edges, not a recursion: a page nested 100,000
/// elements deep must not exhaust the stack.
fn write_text(e: ElementRef<'_>, out: &mut String) {
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in e.traverse().skip(1) {
        match edge {
            Edge::Open(node) if skipping.is_none() => match node.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(el) => {
                    if ElementRef::wrap(node).is_some_and(is_furniture) {
                        skipping = Some(node.id());
                        continue;
                    }
                    if is_block(el.name()) {
                        out.push_str("\n\n");
                    }
                    if el.name() == "br" {
                        out.push('\n');
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                } else if skipping.is_none() {
                    if let Node::Element(el) = node.value() {
                        if is_block(el.name()) {
                            out.push_str("\n\n");
                        }
                    }
                }
            }
            Edge::Open(_) => {}
        }
    }
}

/// Whitespace as a browser shows it: runs become one space, paragraph
/// breaks stay (one blank line).
fn collapse(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html lang="en-GB"><head>
      <title>Site name | World</title>
      <meta property="og:title" content="Leaders meet in Jakarta">
      <meta property="og:url" content="https://news.example.org/world/leaders-meet">
      <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","datePublished":"2024-03-05T08:00:00+07:00"}</script>
      </head><body>
      <header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
      <div class="trending"><h3>Trending</h3><ul><li><a>China condemns Japan</a></li></ul></div>
      <article><h1>Leaders meet in Jakarta</h1>
        <figure><img src="x.jpg"><figcaption>Photo: the two leaders shake hands.</figcaption></figure>
        <p>The two presidents met on Tuesday.</p><p>They signed   an agreement.</p>
        <div class="share-buttons">Share on social media</div>
        <aside class="related"><a>Russia threatens Ukraine</a></aside>
      </article>
      <footer>Copyright</footer><div id="cookie-banner">We use cookies</div>
      </body></html>"#;

    #[test]
    fn the_article_is_kept_and_the_furniture_dropped() {
        let page = read_page(PAGE);
        assert_eq!(page.title.as_deref(), Some("Leaders meet in Jakarta"));
        assert_eq!(page.published.as_deref(), Some("2024-03-05T08:00:00+07:00"));
        assert_eq!(
            page.url.as_deref(),
            Some("https://news.example.org/world/leaders-meet")
        );
        assert_eq!(page.language.as_deref(), Some("en"));
        assert!(
            page.text.contains("The two presidents met on Tuesday."),
            "{}",
            page.text
        );
        assert!(
            page.text.contains("They signed an agreement."),
            "{}",
            page.text
        );
        for furniture in [
            "China condemns Japan",
            "Russia threatens",
            "Share on",
            "cookies",
            "Copyright",
            "Photo:",
            "Home",
        ] {
            assert!(
                !page.text.contains(furniture),
                "{furniture} kept: {}",
                page.text
            );
        }
    }

    #[test]
    fn without_marks_the_densest_block_is_the_article() {
        let html = "<html><body><div id='top'><a>Login</a></div>\
            <div class='content'><p>First paragraph of the story is long enough.</p><p>Second paragraph.</p></div>\
            <div class='sidebar'><p>Most read</p></div></body></html>";
        let page = read_page(html);
        assert_eq!(
            page.text,
            "First paragraph of the story is long enough.\n\nSecond paragraph."
        );
    }

    #[test]
    fn nesting_is_estimated_from_the_tags() {
        let legacy = "<html><body><p>a<p>b<ul><li>x<li>y</ul><img src=x><br/><div>t</div>";
        assert_eq!(nesting_estimate(legacy), 1);
        assert_eq!(nesting_estimate(&"<div>".repeat(5000)), 5000);
        assert_eq!(nesting_estimate(&"<div></div>".repeat(5000)), 1);
        assert_eq!(nesting_estimate("<x/><span/>< a <1 </b>"), 0);
    }
}
