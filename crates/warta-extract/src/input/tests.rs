//! Unit tests of input reading, on files in temporary directories.

use super::char_refs::{decode_entities, named_entity, LATIN1_ENTITIES};
use super::metadata::{markdown_title, parse_published};
use super::*;
use std::fs;
use std::io::Cursor;
use tempfile::TempDir;

fn opts() -> InputOptions {
    InputOptions::default()
}

fn write(dir: &Path, rel: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, content).unwrap();
    path
}

fn read_all(
    src: &InputSource,
    opts: &InputOptions,
) -> (Vec<Result<Article, InputError>>, Result<(), InputError>) {
    let mut items = Vec::new();
    let result = read_source(src, opts, &mut |item| items.push(item));
    (items, result)
}

fn read_one(path: &Path, opts: &InputOptions) -> Result<Article, InputError> {
    let (mut items, result) = read_all(&InputSource::File(path.to_owned()), opts);
    result?;
    assert_eq!(items.len(), 1);
    items.pop().unwrap()
}

fn file_error(path: &Path, opts: &InputOptions) -> String {
    let err = read_one(path, opts).unwrap_err().to_string();
    assert!(
        err.starts_with(&path.display().to_string()),
        "message does not name the path: {err}"
    );
    err
}

// --- normalise_text ---

#[test]
fn normalise_line_endings_spaces_and_zero_width() {
    assert_eq!(normalise_text("a\r\nb\rc\n"), "a\nb\nc");
    assert_eq!(
        normalise_text("a\u{00A0}b\u{2003}c\u{202F}d\u{3000}e\u{2000}f\u{200A}g"),
        "a b c d e f g"
    );
    assert_eq!(
        normalise_text("In\u{200B}do\u{200C}ne\u{200D}sia\u{FEFF}"),
        "Indonesia"
    );
    assert_eq!(normalise_text("  a  \t\n b \n"), "a\n b");
    assert_eq!(normalise_text("a\n\n\n\n\nb\n \n\t\n\nc"), "a\n\nb\n\nc");
    assert_eq!(normalise_text("\n\n  \n"), "");
}

#[test]
fn normalise_composes_nfc_and_keeps_punctuation() {
    assert_eq!(normalise_text("Jose\u{0301}"), "Jos\u{00E9}");
    // A zero-width char between base and accent must not block composition.
    assert_eq!(normalise_text("e\u{200B}\u{0301}"), "\u{00E9}");
    let s = "\u{201C}Ya,\u{201D} katanya \u{2014} 2019\u{2013}2024 \u{2018}x\u{2019} \"y\" 'z'";
    assert_eq!(normalise_text(s), s);
}

#[test]
fn normalise_is_idempotent() {
    for s in [
        "  a\u{00A0}\r\n\r\n\r\n b\u{0301}  \n\u{FEFF}\u{0301}x ",
        "\u{2000}\u{0301}",
        "e \u{0301}\t\n\n\n\u{200D}\n\nz",
        "\r\r\r\rq\u{3000}",
    ] {
        let once = normalise_text(s);
        assert_eq!(normalise_text(&once), once, "{s:?}");
    }
}

// --- strip_html ---

#[test]
fn html_title_head_script_style_comments() {
    let html = "<!DOCTYPE html><HTML><Head><meta charset=utf-8><TITLE>Menlu &amp; ASEAN</TITLE>\
        <style>p { color: red }</style><script>var x = '<p>no</p>';</script></head>\
        <body><!-- nav <p>hidden</p> --><h1>Headline</h1><P>First  para\n graph.</p>\
        <div>Second<br>third</div><SCRIPT type=\"x\">alert(1)</SCRIPT></body></html>";
    let (title, text) = strip_html(html);
    assert_eq!(title.as_deref(), Some("Menlu & ASEAN"));
    assert_eq!(text, "Headline\n\nFirst para graph.\n\nSecond\n\nthird");
}

#[test]
fn html_title_falls_back_to_first_h1() {
    let (title, text) = strip_html(
        "<body><h1 class=\"t\">  Jokowi <em>meets</em>\n Albanese </h1><h1>Second</h1><p>Body.</p>",
    );
    assert_eq!(title.as_deref(), Some("Jokowi meets Albanese"));
    assert_eq!(text, "Jokowi meets Albanese\n\nSecond\n\nBody.");
    let (title, _) = strip_html("<h1>Unclosed heading<p>Body text");
    assert_eq!(title.as_deref(), Some("Unclosed heading"));
    assert_eq!(strip_html("<p>no heading</p>").0, None);
}

#[test]
fn html_entities() {
    let (_, text) = strip_html(
        "<p>&amp; &lt; &gt; &quot; &#39; &apos; a&nbsp;b &#8212; &#x2014; &#X41; &mdash; &ndash; \
         &rsquo; &lsquo; &ldquo; &rdquo; &hellip; &eacute; &Uuml; &euro; &#150; &#146;</p>",
    );
    assert_eq!(
        text,
        "& < > \" ' ' a b \u{2014} \u{2014} A \u{2014} \u{2013} \u{2019} \u{2018} \u{201C} \u{201D} \u{2026} \u{E9} \u{DC} \u{20AC} \u{2013} \u{2019}"
    );
    assert_eq!(
        decode_entities("&unknown; &amp &ampx &#; &#xZZ; &#0; &#99999999999; &#x110000; &"),
        "&unknown; & &ampx &#; &#xZZ; \u{FFFD} \u{FFFD} \u{FFFD} &"
    );
    assert_eq!(LATIN1_ENTITIES.len(), 0x100 - 0xA0);
    assert_eq!(named_entity("yuml"), Some('\u{FF}'));
    assert_eq!(named_entity("nbsp"), Some('\u{A0}'));
}

#[test]
fn html_blocks_cells_pre_and_inline() {
    let (_, text) = strip_html(
        "<ul><li>one</li><li>t<b>w</b>o</li></ul><table><tr><td>a</td><td>b</td></tr></table>\
         <section>s</section><article>art</article><h2>h</h2><pre>  keep\n  this</pre>x",
    );
    assert_eq!(
        text,
        "one\n\ntwo\n\na b\n\ns\n\nart\n\nh\n\n  keep\n  this\n\nx"
    );
}

#[test]
fn html_is_robust_to_malformed_markup() {
    assert_eq!(strip_html("a < b and c<d").1, "a < b and c");
    assert_eq!(strip_html("<p title=\"x > y\">quoted</p>").1, "quoted");
    assert_eq!(strip_html("<p class=\"oops>text</p>").1, "text");
    assert_eq!(strip_html("before<!-- never closed <p>x").1, "before");
    assert_eq!(strip_html("<script>never closed").1, "");
    assert_eq!(
        strip_html("<title>unclosed title<p>body").1,
        "unclosed title\n\nbody"
    );
    let many = "<title>x ".repeat(50_000);
    assert_eq!(strip_html(&many).1, "x ".repeat(50_000).trim_end());
    assert_eq!(strip_html("</ >x</>y<? pi ?>z<![CDATA[c]]>").1, "xyzc");
    assert_eq!(strip_html("<script src=a.js /><p>after</p>").1, "after");
    assert_eq!(strip_html("<svg><title>icon</title></svg><p>x</p>").0, None);
    assert_eq!(
        strip_html("<html><head><title>T</title><p>no body tag").1,
        "no body tag"
    );
    // Every prefix cut (including mid-character and mid-tag) must not panic.
    let doc = "<html><head><title>Ti&amp;</title></head><body><p a='>'>Ça&#x2014;va \u{1F600}</p><!--c--><script>x</script><h1>H</body>";
    for (i, _) in doc.char_indices() {
        let _ = strip_html(&doc[..i]);
        let _ = strip_html(&doc[i..]);
    }
}

// --- Article::id ---

#[test]
fn id_is_sha256_of_text() {
    let article = Article {
        source: "x".into(),
        title: None,
        url: None,
        published: None,
        language: None,
        text: "abc".into(),
    };
    assert_eq!(
        article.id(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

// --- discover ---

#[test]
fn discover_walks_sorted_skips_hidden_and_other_extensions() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    for rel in [
        "b.txt",
        "a/z.md",
        "a/y.HTML",
        "a.txt",
        "c/feed.jsonl",
        "c/more.ndjson",
        "c/page.htm",
        "c/x.gold.json",
        "SOURCES.tsv",
        ".hidden.txt",
        ".git/config.txt",
        "notes.pdf",
    ] {
        write(root, rel, b"x");
    }
    let found = discover(&[root.to_owned()]).unwrap();
    assert_eq!(
        found,
        vec![
            InputSource::File(root.join("a").join("y.HTML")),
            InputSource::File(root.join("a").join("z.md")),
            InputSource::File(root.join("a.txt")),
            InputSource::File(root.join("b.txt")),
            InputSource::Jsonl(root.join("c").join("feed.jsonl")),
            InputSource::Jsonl(root.join("c").join("more.ndjson")),
            InputSource::File(root.join("c").join("page.htm")),
        ]
    );
}

#[test]
fn discover_explicit_files_stdin_and_order() {
    let dir = TempDir::new().unwrap();
    let notes = write(dir.path(), "notes.pdf", b"x");
    let feed = write(dir.path(), "feed.NDJSON", b"x");
    let hidden = write(dir.path(), ".hidden.txt", b"x");
    let found = discover(&[
        notes.clone(),
        PathBuf::from("-"),
        feed.clone(),
        hidden.clone(),
    ])
    .unwrap();
    assert_eq!(
        found,
        vec![
            InputSource::File(notes),
            InputSource::Stdin,
            InputSource::Jsonl(feed),
            InputSource::File(hidden),
        ]
    );
    assert_eq!(InputSource::Stdin.name(), "<stdin>");
    assert!(discover(&[]).unwrap().is_empty());
}

#[test]
fn discover_errors_name_the_path() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("nope.txt");
    let err = discover(std::slice::from_ref(&missing)).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}: no such file or directory", missing.display())
    );

    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    write(&empty, "x.gold.json", b"{}");
    write(&empty, "SOURCES.tsv", b"a\tb");
    write(&empty, ".hidden/a.txt", b"x");
    let err = discover(std::slice::from_ref(&empty)).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: no articles found (looked for .txt, .md, .html, .jsonl)",
            empty.display()
        )
    );
}

#[cfg(unix)]
#[test]
fn discover_follows_file_links_but_not_directory_links() {
    let dir = TempDir::new().unwrap();
    let target = write(dir.path(), "real/a.txt", b"x");
    let walked = dir.path().join("walked");
    fs::create_dir(&walked).unwrap();
    std::os::unix::fs::symlink(&target, walked.join("link.txt")).unwrap();
    std::os::unix::fs::symlink(dir.path(), walked.join("loop")).unwrap();
    assert_eq!(
        discover(std::slice::from_ref(&walked)).unwrap(),
        vec![InputSource::File(walked.join("link.txt"))]
    );
}

// --- read_source: single files ---

#[test]
fn txt_title_rule() {
    let dir = TempDir::new().unwrap();
    let p = write(
        dir.path(),
        "a.txt",
        b"Prabowo visits Canberra\n\nThe president arrived.\n",
    );
    let a = read_one(&p, &opts()).unwrap();
    assert_eq!(a.title.as_deref(), Some("Prabowo visits Canberra"));
    assert_eq!(a.text, "Prabowo visits Canberra\n\nThe president arrived.");
    assert_eq!(a.source, p.display().to_string());
    assert_eq!((a.url, a.published, a.language), (None, None, None));

    for body in [
        "A sentence that ends with a period.\n\nMore.".to_owned(),
        "No blank line after\nthe first line.".to_owned(),
        "Only one line".to_owned(),
        format!("{}\n\nBody.", "x".repeat(200)),
    ] {
        let p = write(dir.path(), "b.txt", body.as_bytes());
        assert_eq!(read_one(&p, &opts()).unwrap().title, None, "{body:?}");
    }
    let p = write(
        dir.path(),
        "c.txt",
        format!("{}\n\nBody.", "x".repeat(199)).as_bytes(),
    );
    assert!(read_one(&p, &opts()).unwrap().title.is_some());
}

#[test]
fn markdown_title_rule() {
    let dir = TempDir::new().unwrap();
    let p = write(
        dir.path(),
        "a.md",
        b"# RI\xE2\x80\x93Australia talks #\n\nBody *text*.",
    );
    let a = read_one(&p, &opts()).unwrap();
    assert_eq!(a.title.as_deref(), Some("RI\u{2013}Australia talks"));
    assert_eq!(a.text, "# RI\u{2013}Australia talks #\n\nBody *text*.");
    for body in ["## Second level\n\nx", "#hashtag\n\nx", "Plain\n\nx"] {
        let p = write(dir.path(), "b.md", body.as_bytes());
        assert_eq!(read_one(&p, &opts()).unwrap().title, None, "{body:?}");
    }
    assert_eq!(markdown_title("# C# #"), Some("C#".to_owned()));
}

#[test]
fn markdown_front_matter_gives_the_metadata_and_leaves_the_text() {
    let dir = TempDir::new().unwrap();
    let p = write(
        dir.path(),
        "fm.md",
        b"---\ntitle: Menlu bertemu mitra ASEAN\ndate: 2024-03-01T08:30:00+07:00\n\
          lang: id\nurl: https://example.org/berita/1\ntags: [asean]\n---\n\
          # Judul lain\n\nMenteri Luar Negeri bertemu mitra.\n",
    );
    let a = read_one(&p, &opts()).unwrap();
    assert_eq!(a.title.as_deref(), Some("Menlu bertemu mitra ASEAN"));
    assert_eq!(a.published.as_deref(), Some("2024-03-01"));
    assert_eq!(a.language.as_deref(), Some("id"));
    assert_eq!(a.url.as_deref(), Some("https://example.org/berita/1"));
    assert_eq!(a.text, "# Judul lain\n\nMenteri Luar Negeri bertemu mitra.");
    // Without a title key, the first heading after the block is the title.
    let p = write(
        dir.path(),
        "h.md",
        b"+++\ndate = 2024-05-02\n+++\n# Heading\n\nx\n",
    );
    let a = read_one(&p, &opts()).unwrap();
    assert_eq!(
        (a.title.as_deref(), a.published.as_deref()),
        (Some("Heading"), Some("2024-05-02"))
    );
    // A bad block or a bad date is an error naming the file and line.
    let p = write(dir.path(), "bad.md", b"---\ntitle: [x\n---\nText\n");
    assert!(file_error(&p, &opts()).contains(":3: YAML front matter"));
    let p = write(dir.path(), "date.md", b"---\ndate: yesterday\n---\nText\n");
    assert!(file_error(&p, &opts()).contains("invalid published date \"yesterday\""));
}

#[test]
fn a_page_nested_past_the_limit_is_read_by_the_plain_stripper() {
    let dir = TempDir::new().unwrap();
    let depth = super::readable::MAX_NESTING + 1;
    let page = format!(
        "<html><head><title>Deep</title></head><body>{}<p>Menlu bertemu mitra.</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let p = write(dir.path(), "deep.html", page.as_bytes());
    let a = read_one(&p, &opts()).unwrap();
    assert_eq!(a.title.as_deref(), Some("Deep"));
    assert_eq!(a.text, "Menlu bertemu mitra.");
}

#[test]
fn html_file_and_html_without_text() {
    let dir = TempDir::new().unwrap();
    let p = write(
        dir.path(),
        "a.HTM",
        b"<title>T</title><p>Hello&nbsp;world</p>",
    );
    let a = read_one(&p, &opts()).unwrap();
    assert_eq!(
        (a.title.as_deref(), a.text.as_str()),
        (Some("T"), "Hello world")
    );
    let p = write(dir.path(), "b.html", b"<html><script>x()</script></html>");
    assert!(file_error(&p, &opts()).ends_with(": no text left after removing the HTML markup"));
}

#[test]
fn bom_is_stripped_and_default_published_applies() {
    let dir = TempDir::new().unwrap();
    let p = write(dir.path(), "a.txt", b"\xEF\xBB\xBFTitle\n\nBody");
    let o = InputOptions {
        default_published: Some("2024-02-29T10:00:00+07:00".into()),
        ..opts()
    };
    let a = read_one(&p, &o).unwrap();
    assert_eq!(a.text, "Title\n\nBody");
    assert_eq!(a.title.as_deref(), Some("Title"));
    assert_eq!(a.published.as_deref(), Some("2024-02-29"));

    let o = InputOptions {
        default_published: Some("2023-02-29".into()),
        ..opts()
    };
    let err = file_error(&p, &o);
    assert!(
        err.contains("invalid published date \"2023-02-29\""),
        "{err}"
    );
}

#[test]
fn empty_and_whitespace_files() {
    let dir = TempDir::new().unwrap();
    for (name, body) in [
        ("a.txt", &b""[..]),
        ("b.txt", b" \n\t\r\n"),
        ("c.md", b"\xEF\xBB\xBF"),
        ("d.txt", "\u{00A0}\u{200B}\n".as_bytes()),
    ] {
        let p = write(dir.path(), name, body);
        assert_eq!(
            file_error(&p, &opts()),
            format!("{}: empty file", p.display())
        );
    }
}

#[test]
fn binary_files_are_refused() {
    let dir = TempDir::new().unwrap();
    let p = write(dir.path(), "a.txt", b"text\0more");
    assert_eq!(
        file_error(&p, &opts()),
        format!("{}: looks like a binary file, not an article", p.display())
    );
    // Invalid UTF-8 full of control bytes is binary even in lossy mode.
    let junk: Vec<u8> = (0u8..=255)
        .cycle()
        .skip(1)
        .take(4096)
        .filter(|&b| b != 0)
        .collect();
    let p = write(dir.path(), "b.txt", &junk);
    let lossy = InputOptions {
        lossy: true,
        ..opts()
    };
    assert!(file_error(&p, &lossy).ends_with("looks like a binary file, not an article"));
    let p = write(dir.path(), "c.txt", b"\xFF\xFEa\0b\0");
    assert!(file_error(&p, &opts()).contains("looks like UTF-16"));
}

#[test]
fn invalid_utf8_position_and_lossy() {
    let dir = TempDir::new().unwrap();
    // Line 3, after "caf\u{e9} n" (6 characters): column 7. BOM counts in the byte offset.
    let mut body = b"\xEF\xBB\xBFfirst\r\nsecond\ncaf\xC3\xA9 n".to_vec();
    let byte = body.len();
    body.extend_from_slice(b"\xE9e\n");
    let p = write(dir.path(), "latin1.txt", &body);
    assert_eq!(
        file_error(&p, &opts()),
        format!(
            "{}: invalid UTF-8 at line 3, column 7 (byte {byte}); use --lossy to decode with replacement characters",
            p.display()
        )
    );
    let lossy = InputOptions {
        lossy: true,
        ..opts()
    };
    let a = read_one(&p, &lossy).unwrap();
    assert_eq!(a.text, "first\nsecond\ncaf\u{e9} n\u{FFFD}e");
}

#[test]
fn oversize_file_is_refused_without_reading() {
    let dir = TempDir::new().unwrap();
    let p = write(dir.path(), "big.txt", b"0123456789abcdef");
    let o = InputOptions {
        max_file_bytes: 10,
        ..opts()
    };
    assert_eq!(
        file_error(&p, &o),
        format!(
            "{}: file is 16 bytes, over the limit of 10 bytes; split it into smaller files",
            p.display()
        )
    );
    let o = InputOptions {
        max_file_bytes: 16,
        ..opts()
    };
    assert!(read_one(&p, &o).is_ok());
    assert_eq!(
        human_bytes(&DEFAULT_MAX_FILE_BYTES),
        "64 MiB (67108864 bytes)"
    );
    assert_eq!(human_bytes(&1536), "1.5 KiB (1536 bytes)");
}

#[test]
fn missing_file_and_directory_as_file() {
    let dir = TempDir::new().unwrap();
    let p = dir.path().join("gone.txt");
    assert_eq!(
        file_error(&p, &opts()),
        format!("{}: no such file or directory", p.display())
    );
    let err = file_error(dir.path(), &opts());
    assert!(err.contains(": cannot read: "), "{err}");
}

// --- stdin ---

#[test]
fn stdin_reads_as_plain_text_and_is_bounded() {
    let a = read_stream(
        Cursor::new("Headline\r\n\r\nBody."),
        STDIN_SOURCE,
        TextKind::Plain,
        &opts(),
    )
    .unwrap();
    assert_eq!(a.source, "<stdin>");
    assert_eq!(a.title.as_deref(), Some("Headline"));
    assert_eq!(a.text, "Headline\n\nBody.");
    let o = InputOptions {
        max_file_bytes: 4,
        ..opts()
    };
    let err = read_stream(Cursor::new("12345"), STDIN_SOURCE, TextKind::Plain, &o).unwrap_err();
    assert_eq!(
        err.to_string(),
        "<stdin>: input is over the limit of 4 bytes; split it into smaller pieces"
    );
    let err = read_stream(Cursor::new(""), STDIN_SOURCE, TextKind::Plain, &opts()).unwrap_err();
    assert_eq!(err.to_string(), "<stdin>: empty file");
}

// --- JSONL ---

fn jsonl(dir: &Path, body: &str) -> (PathBuf, InputSource) {
    let p = write(dir, "feed.jsonl", body.as_bytes());
    (p.clone(), InputSource::Jsonl(p))
}

fn numbered_feed(lines: usize, bad_at: usize) -> String {
    (1..=lines)
        .map(|i| {
            if i == bad_at {
                "{broken\n".to_string()
            } else {
                format!("{{\"text\": \"Article number {i}.\"}}\n")
            }
        })
        .collect()
}

#[test]
fn a_feed_read_in_batches_gives_every_article_in_order_a_batch_at_a_time() {
    let dir = TempDir::new().unwrap();
    let (_, src) = jsonl(dir.path(), &numbered_feed(23, 8));
    let mut sizes = Vec::new();
    let mut texts = Vec::new();
    let mut problems = Vec::new();
    read_source_in_batches::<()>(
        &src,
        &opts(),
        5,
        &mut |e| problems.push(e.to_string()),
        &mut |batch| {
            sizes.push(batch.len());
            texts.extend(batch.into_iter().map(|a| a.text));
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(sizes, [5, 5, 5, 5, 2]);
    let expected: Vec<String> = (1..=23)
        .filter(|&i| i != 8)
        .map(|i| format!("Article number {i}."))
        .collect();
    assert_eq!(texts, expected);
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains(":8: not valid JSON"), "{problems:?}");
}

#[test]
fn a_failing_batch_stops_the_reading_and_its_error_is_returned() {
    let dir = TempDir::new().unwrap();
    let (_, src) = jsonl(dir.path(), &numbered_feed(40, 0));
    let mut batches = 0;
    let result = read_source_in_batches(&src, &opts(), 4, &mut |_| {}, &mut |_| {
        batches += 1;
        if batches == 2 {
            Err("the consumer stopped")
        } else {
            Ok(())
        }
    });
    assert_eq!(result, Err("the consumer stopped"));
    assert_eq!(batches, 2, "no batch is read after a failure");
}

#[test]
fn a_source_that_cannot_be_read_is_a_problem_not_a_batch() {
    let dir = TempDir::new().unwrap();
    let (_, src) = jsonl(dir.path(), "");
    let mut problems = Vec::new();
    let mut batches = 0;
    read_source_in_batches::<()>(
        &src,
        &opts(),
        4,
        &mut |e| problems.push(e.to_string()),
        &mut |_| {
            batches += 1;
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(batches, 0);
    assert_eq!(problems.len(), 1);
    assert!(problems[0].ends_with("empty file"), "{problems:?}");
}

#[test]
fn jsonl_bad_line_in_the_middle_does_not_stop_reading() {
    let dir = TempDir::new().unwrap();
    let (p, src) = jsonl(
        dir.path(),
        "{\"text\": \"One.\", \"title\": \" T \\n one \", \"url\": \"https://x/1\", \"published\": \"2024-03-01T08:30:00+07:00\", \"language\": \"id\", \"extra\": 5}\n\
         {not json}\n\
         \n\
         {\"text\": \"Three.\", \"published\": null, \"title\": null}\n",
    );
    let (items, result) = read_all(&src, &opts());
    result.unwrap();
    assert_eq!(items.len(), 3);
    let name = p.display().to_string();
    let first = items[0].as_ref().unwrap();
    assert_eq!(first.source, format!("{name}:1"));
    assert_eq!(first.title.as_deref(), Some("T one"));
    assert_eq!(first.url.as_deref(), Some("https://x/1"));
    assert_eq!(first.published.as_deref(), Some("2024-03-01"));
    assert_eq!(first.language.as_deref(), Some("id"));
    let err = items[1].as_ref().unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("{name}:2: not valid JSON: ")),
        "{err}"
    );
    assert!(err.ends_with("at column 2"), "{err}");
    let third = items[2].as_ref().unwrap();
    assert_eq!(third.source, format!("{name}:4"));
    assert_eq!(
        (third.text.as_str(), third.title.as_deref()),
        ("Three.", None)
    );
}

#[test]
fn jsonl_line_errors_name_path_and_line() {
    let dir = TempDir::new().unwrap();
    let (p, src) = jsonl(
        dir.path(),
        "[1, 2]\n{\"title\": \"x\"}\n{\"text\": \"  \\u00a0 \"}\n{\"text\": 5}\n{\"text\": \"x\", \"url\": 1}\n\
         {\"text\": \"x\", \"published\": \"01/03/2024\"}\n{\"text\": \"ok\"}\n",
    );
    let (items, result) = read_all(&src, &opts());
    result.unwrap();
    let name = p.display().to_string();
    let messages: Vec<String> = items
        .iter()
        .filter_map(|i| i.as_ref().err().map(ToString::to_string))
        .collect();
    assert_eq!(
        messages,
        vec![
            format!("{name}:1: expected a JSON object such as {{\"text\": \"...\"}}"),
            format!("{name}:2: missing required field \"text\""),
            format!("{name}:3: field \"text\" is empty"),
            format!("{name}:4: field \"text\" must be a string"),
            format!("{name}:5: field \"url\" must be a string"),
            format!(
                "{name}:6: invalid published date \"01/03/2024\"; expected YYYY-MM-DD or an RFC 3339 timestamp such as 2024-03-01T08:30:00+07:00"
            ),
        ]
    );
    assert_eq!(items.last().unwrap().as_ref().unwrap().text, "ok");
}

#[test]
fn jsonl_with_no_valid_line_or_empty_is_an_error() {
    let dir = TempDir::new().unwrap();
    let (p, src) = jsonl(dir.path(), "nope\n{}\n");
    let (items, result) = read_all(&src, &opts());
    assert_eq!(items.len(), 2);
    assert_eq!(
        result.unwrap_err().to_string(),
        format!(
            "{}: no valid articles: all 2 non-empty lines were rejected",
            p.display()
        )
    );
    let (p, src) = jsonl(dir.path(), "\n  \r\n");
    let (items, result) = read_all(&src, &opts());
    assert!(items.is_empty());
    assert_eq!(
        result.unwrap_err().to_string(),
        format!("{}: empty file", p.display())
    );
    let (_, src) = jsonl(dir.path(), "{\"text\": \"a\0\"}");
    assert!(read_all(&src, &opts())
        .1
        .unwrap_err()
        .to_string()
        .ends_with("binary file, not an article"));
}

#[test]
fn jsonl_bom_crlf_default_date_and_long_lines() {
    let dir = TempDir::new().unwrap();
    let long = format!("{{\"text\": \"{}\"}}", "x".repeat(100));
    let body = format!(
        "\u{FEFF}{{\"text\": \"a\"}}\r\n{long}\r\n{{\"text\": \"b\", \"published\": \"2024-01-02\"}}\n{long}"
    );
    let (p, src) = jsonl(dir.path(), &body);
    let o = InputOptions {
        max_file_bytes: 60,
        default_published: Some("2020-05-05".into()),
        ..opts()
    };
    let (items, result) = read_all(&src, &o);
    result.unwrap();
    let name = p.display().to_string();
    assert_eq!(items.len(), 4);
    let a = items[0].as_ref().unwrap();
    assert_eq!(
        (a.text.as_str(), a.published.as_deref()),
        ("a", Some("2020-05-05"))
    );
    assert_eq!(
        items[1].as_ref().unwrap_err().to_string(),
        format!("{name}:2: line is over the limit of 60 bytes; skipped")
    );
    let b = items[2].as_ref().unwrap();
    assert_eq!(
        (b.source.clone(), b.published.as_deref()),
        (format!("{name}:3"), Some("2024-01-02"))
    );
    assert!(items[3]
        .as_ref()
        .unwrap_err()
        .to_string()
        .starts_with(&format!("{name}:4: line is over")));
}

#[test]
fn jsonl_invalid_utf8_line_and_lossy() {
    let dir = TempDir::new().unwrap();
    let p = write(
        dir.path(),
        "feed.ndjson",
        b"{\"text\": \"ok\"}\n{\"text\": \"caf\xE9\"}\n",
    );
    let src = InputSource::Jsonl(p.clone());
    let (items, result) = read_all(&src, &opts());
    result.unwrap();
    assert_eq!(
        items[1].as_ref().unwrap_err().to_string(),
        format!(
            "{}: invalid UTF-8 at line 2, column 14 (byte 28); use --lossy to decode with replacement characters",
            p.display()
        )
    );
    let (items, _) = read_all(
        &src,
        &InputOptions {
            lossy: true,
            ..opts()
        },
    );
    assert_eq!(items[1].as_ref().unwrap().text, "caf\u{FFFD}");
}

// --- dates ---

#[test]
fn published_dates() {
    for (input, want) in [
        ("2024-03-01", Some("2024-03-01")),
        ("2024-02-29", Some("2024-02-29")),
        ("2000-02-29", Some("2000-02-29")),
        ("2024-03-01T08:30:00Z", Some("2024-03-01")),
        ("2024-03-01t08:30:00.123456-05:00", Some("2024-03-01")),
        ("2024-03-01 08:30", Some("2024-03-01")),
        ("2024-03-01T23:59:60+0700", Some("2024-03-01")),
        ("1900-02-29", None),
        ("2023-02-29", None),
        ("2024-13-01", None),
        ("2024-04-31", None),
        ("2024-00-10", None),
        ("2024-3-1", None),
        ("24-03-01", None),
        ("2024/03/01", None),
        ("2024-03-01T24:00:00Z", None),
        // An hour-only offset is ISO 8601 (RFC 3339 wants the minutes); the
        // date is plain either way.
        ("2024-03-01T08:30:00+07", Some("2024-03-01")),
        ("2024-03-01T08:30:00.Z", None),
        ("2024-03-01junk", None),
        ("", None),
        ("２０２４-03-01", None),
    ] {
        assert_eq!(parse_published(input).as_deref(), want, "{input:?}");
    }
}
