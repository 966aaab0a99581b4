//! HTML to text: title and body text, block elements as line breaks,
//! scripts and styles dropped.

use super::char_refs::decode_entities;
use super::metadata::clean_title;
use super::normalise::normalise_text;

/// Elements that end a paragraph (on their start and end tags).
pub(super) const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Elements whose content is never article text. `svg` is here partly
/// because its `<title>` must not become the page title.
pub(super) const DROPPED_ELEMENTS: &[&str] = &[
    "iframe", "math", "noscript", "object", "script", "style", "svg", "template", "textarea",
];

/// Elements that may appear in `<head>`; any other start tag ends the head
/// (as in browsers), so pages that never close `<head>` keep their text.
pub(super) const HEAD_ELEMENTS: &[&str] = &[
    "base", "head", "html", "link", "meta", "noscript", "script", "style", "template", "title",
];

/// Strips HTML to text, returning `(title, text)`.
///
/// The title is the first `<title>`, else the first `<h1>`. Script, style and
/// similar elements, comments and the `<head>` are dropped; block elements
/// become paragraph breaks; whitespace is collapsed as a browser would
/// (except in `<pre>`); entities are decoded. The text is normalised with
/// [`normalise_text`]. Malformed markup is handled leniently, never by
/// panicking.
pub fn strip_html(html: &str) -> (Option<String>, String) {
    let mut state = HtmlText::default();
    let mut rest = html;
    while let Some((text, markup)) = rest.split_once('<') {
        state.text(text);
        rest = state.markup(markup);
    }
    state.text(rest);
    state.finish()
}

#[derive(Default)]
pub(super) struct HtmlText {
    out: String,
    title: Option<String>,
    in_head: bool,
    pre_depth: usize,
    h1_start: Option<usize>,
    h1_end: Option<usize>,
    /// Set once a `<title>` was found unclosed: later ones need no search,
    /// which keeps a page full of unclosed titles linear.
    no_title_close: bool,
}

impl HtmlText {
    fn text(&mut self, raw: &str) {
        if self.in_head || raw.is_empty() {
            return;
        }
        let decoded = decode_entities(raw);
        if self.pre_depth > 0 {
            self.out.push_str(&decoded);
            return;
        }
        for c in decoded.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                if !(self.out.is_empty() || self.out.ends_with([' ', '\n'])) {
                    self.out.push(' ');
                }
            } else {
                self.out.push(c);
            }
        }
    }

    fn trim_trailing_spaces(&mut self) {
        let kept = self.out.trim_end_matches(' ').len();
        self.out.truncate(kept);
    }

    fn paragraph_break(&mut self) {
        self.trim_trailing_spaces();
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push_str(if self.out.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            });
        }
    }

    /// Handles the markup after a `<` and returns what follows it.
    fn markup<'a>(&mut self, tail: &'a str) -> &'a str {
        if let Some(after) = tail.strip_prefix("!--") {
            // An unterminated comment runs to the end, as in browsers.
            return after.split_once("-->").map_or("", |(_, rest)| rest);
        }
        if let Some(after) = tail.strip_prefix("![CDATA[") {
            let (content, rest) = after.split_once("]]>").unwrap_or((after, ""));
            self.text(content);
            return rest;
        }
        if tail.starts_with(['!', '?']) {
            return after_gt(tail);
        }
        if let Some(after) = tail.strip_prefix('/') {
            let (name, rest) = tag_name(after);
            if !name.is_empty() {
                self.end_tag(&name);
            }
            // `</` + non-letter is a bogus comment: skipped either way.
            return after_gt(rest);
        }
        let (name, after_name) = tag_name(tail);
        if name.is_empty() {
            // A stray `<` as in "a < b" is text.
            self.text("<");
            return tail;
        }
        let Some((gt, self_closing)) = find_tag_end(after_name) else {
            return "";
        };
        let rest = after_name.get(gt + 1..).unwrap_or("");
        self.start_tag(&name);
        if self_closing {
            return rest;
        }
        if name == "title" {
            // Unclosed <title>: ignore the tag rather than lose the page.
            if self.no_title_close {
                return rest;
            }
            let Some((content, after)) = split_at_close_tag(rest, "title") else {
                self.no_title_close = true;
                return rest;
            };
            if self.title.is_none() {
                self.title = clean_title(&decode_entities(content));
            }
            return after;
        }
        if DROPPED_ELEMENTS.contains(&name.as_str()) {
            return split_at_close_tag(rest, &name).map_or("", |(_, after)| after);
        }
        rest
    }

    fn start_tag(&mut self, name: &str) {
        if name == "head" {
            self.in_head = true;
        } else if !HEAD_ELEMENTS.contains(&name) {
            self.in_head = false;
        }
        match name {
            "pre" => self.pre_depth += 1,
            "td" | "th" => self.text(" "),
            _ => {}
        }
        if BLOCK_ELEMENTS.contains(&name) {
            self.paragraph_break();
        }
        if name == "h1" && self.h1_start.is_none() {
            self.h1_start = Some(self.out.len());
        }
    }

    fn end_tag(&mut self, name: &str) {
        match name {
            "head" => self.in_head = false,
            "pre" => self.pre_depth = self.pre_depth.saturating_sub(1),
            "h1" if self.h1_start.is_some() && self.h1_end.is_none() => {
                self.trim_trailing_spaces();
                self.h1_end = Some(self.out.len());
            }
            _ => {}
        }
        if BLOCK_ELEMENTS.contains(&name) {
            self.paragraph_break();
        }
    }

    fn finish(self) -> (Option<String>, String) {
        let h1 = || {
            let start = self.h1_start?;
            let heading = match self.h1_end {
                Some(end) => self.out.get(start..end)?,
                // Never closed: take its first paragraph.
                None => self.out.get(start..)?.split("\n\n").next()?,
            };
            clean_title(heading)
        };
        let title = self.title.clone().or_else(h1);
        (title, normalise_text(&self.out))
    }
}

/// Splits a lowercase tag name off the front of `s`.
pub(super) fn tag_name(s: &str) -> (String, &str) {
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return (String::new(), s);
    }
    let len = s
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_'))
        .count();
    let (name, rest) = s.split_at(len);
    (name.to_ascii_lowercase(), rest)
}

pub(super) fn after_gt(s: &str) -> &str {
    s.split_once('>').map_or("", |(_, rest)| rest)
}

/// Finds the `>` closing a start tag, skipping quoted attribute values
/// (which may contain `>`). Returns its index and whether the tag ends `/>`.
pub(super) fn find_tag_end(s: &str) -> Option<(usize, bool)> {
    let bytes = s.as_bytes();
    let self_closing = |i: usize| i > 0 && bytes.get(i - 1) == Some(&b'/');
    let mut i = 0;
    let mut after_eq = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'>' => return Some((i, self_closing(i))),
            b'"' | b'\'' if after_eq => {
                let close = bytes
                    .get(i + 1..)
                    .and_then(|r| r.iter().position(|&c| c == b));
                match close {
                    Some(len) => {
                        i += len + 2;
                        after_eq = false;
                        continue;
                    }
                    // Unterminated quote: fall back to the first `>`.
                    None => break,
                }
            }
            b'=' => after_eq = true,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0c => {}
            _ => after_eq = false,
        }
        i += 1;
    }
    let gt = s.find('>')?;
    Some((gt, self_closing(gt)))
}

/// Splits `s` at the end tag `</name` (any case), returning the content
/// before it and the text after its `>`.
pub(super) fn split_at_close_tag<'a>(s: &'a str, name: &str) -> Option<(&'a str, &'a str)> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(rel) = s.get(from..)?.find("</") {
        let at = from + rel;
        let name_end = at + 2 + name.len();
        let matches_name = bytes
            .get(at + 2..name_end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        let boundary = matches!(
            bytes.get(name_end),
            None | Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
        );
        if matches_name && boundary {
            let content = s.get(..at)?;
            return Some((content, after_gt(s.get(name_end..)?)));
        }
        from = at + 2;
    }
    None
}
