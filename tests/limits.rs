//! Bounded resources, through the real binary: a file far over the size
//! limit is refused before it is read, a long feed streams in flat memory,
//! and a full disk fails the run clearly while the store keeps everything
//! committed before it. Times are the bench's business (`benches/limits.rs`);
//! these tests check the outcome and the memory bound.

mod common;

#[path = "common/corpus.rs"]
mod corpus;

use common::{ok, root, run, stderr, warta};
use corpus::{jsonl, CorpusMaker};
use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use tempfile::TempDir;
use warta::ontology::Ontology;

/// Runs `cmd` to its end; returns its output and its peak resident memory
/// in KiB (`wait4`'s `ru_maxrss`, the child alone).
fn run_measured(cmd: &mut Command) -> (Output, u64) {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    // The pipes are drained on threads so a chatty child never blocks.
    let mut child = child;
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out_pipe, &mut v).map(|_| v)
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err_pipe, &mut v).map(|_| v)
    });
    let mut status = 0;
    // SAFETY: rusage is plain data, zeroed is a valid value; wait4 fills it
    // for our own child, which nothing else waits for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4: {}", std::io::Error::last_os_error());
    let output = Output {
        status: std::os::unix::process::ExitStatusExt::from_raw(status),
        stdout: out.join().expect("reader").expect("stdout"),
        stderr: err.join().expect("reader").expect("stderr"),
    };
    (output, u64::try_from(usage.ru_maxrss).unwrap_or(0))
}

fn feed(dir: &Path, name: &str, articles: usize) -> std::path::PathBuf {
    let ont = Ontology::embedded().expect("the built-in ontology");
    let maker = CorpusMaker::new(&ont, &root());
    let path = dir.join(name);
    fs::write(&path, jsonl(&maker.articles(articles, 7), None)).expect("the feed is written");
    path
}

#[test]
fn a_long_feed_streams_in_flat_memory() {
    let dir = TempDir::new().expect("a temp dir");
    let small = feed(dir.path(), "small.jsonl", 1_000);
    let large = feed(dir.path(), "large.jsonl", 20_000);
    let size = fs::metadata(&large).expect("the feed").len();
    assert!(size > 20_000_000, "the large feed is {size} bytes");
    let peak = |path: &Path| {
        let (out, kib) = run_measured(
            warta()
                .args(["--no-syntax", "extract", "--jobs", "2"])
                .arg(path)
                .current_dir(root()),
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let lines = out.stdout.iter().filter(|&&b| b == b'\n').count();
        (lines, kib)
    };
    let (small_lines, small_kib) = peak(&small);
    let (large_lines, large_kib) = peak(&large);
    assert_eq!((small_lines, large_lines), (1_000, 20_000));
    // Twenty times the feed (over 20 MB more text) may not cost more than a
    // few batches' worth of memory: held whole, it would cost its size.
    assert!(
        large_kib < small_kib + 12 * 1024,
        "peak RSS {small_kib} KiB for 1,000 articles, {large_kib} KiB for 20,000"
    );
}

#[test]
fn a_gigabyte_file_is_refused_unread_and_the_store_keeps_its_articles() {
    let dir = TempDir::new().expect("a temp dir");
    let store = dir.path().join("store");
    ok(&store, &["ingest", "examples"]);
    let before = ok(&store, &["export", "--canonical"]);
    // Sparse: a gigabyte that takes no disk. Refused by its size, so no
    // byte of it is read (the default limit is 64 MiB).
    let big = dir.path().join("huge.txt");
    fs::File::create(&big)
        .and_then(|f| f.set_len(1 << 30))
        .expect("a sparse file");
    let out = run(&store, &["ingest", big.to_str().expect("a UTF-8 path")]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("huge.txt"), "{err}");
    assert!(err.contains("64 MiB") || err.contains("67108864"), "{err}");
    assert_eq!(ok(&store, &["export", "--canonical"]), before);
}

/// The full-disk run, inside a mount namespace of its own with a 16 MB tmpfs
/// (`unshare` maps the test's user to root there; nothing outside changes).
const FULL_DISK_SCRIPT: &str = r#"
set -u
mount -t tmpfs -o size=16m tmpfs "$DISK" || exit 90
"$WARTA" --store "$DISK/store" ingest "$ROOT/examples" > /dev/null || exit 91
"$WARTA" --store "$DISK/store" export --canonical > "$OUT/before.nq" || exit 92
"$WARTA" --store "$DISK/store" ingest "$FEED" 2> "$OUT/ingest.err"
echo $? > "$OUT/ingest.code"
"$WARTA" --store "$DISK/store" export --canonical > "$OUT/after.nq" 2> "$OUT/export.err"
echo $? > "$OUT/export.code"
"#;

#[test]
fn a_full_disk_fails_the_ingest_clearly_and_loses_nothing_stored() {
    let dir = TempDir::new().expect("a temp dir");
    let disk = dir.path().join("disk");
    fs::create_dir(&disk).expect("a mount point");
    let feed = feed(dir.path(), "feed.jsonl", 3_000);
    let status = Command::new("unshare")
        .args(["--mount", "--map-root-user", "sh", "-c", FULL_DISK_SCRIPT])
        .env("DISK", &disk)
        .env("OUT", dir.path())
        .env("FEED", &feed)
        .env("ROOT", root())
        .env("WARTA", env!("CARGO_BIN_EXE_warta"))
        .env_remove("WARTA_ONTOLOGY")
        .env_remove("WARTA_STORE")
        .status();
    match status.as_ref().map(|s| s.code()) {
        Ok(Some(0)) => {}
        Ok(Some(90)) | Err(_) => {
            // No mount namespaces here (a container without the capability):
            // say so loudly rather than pass in silence.
            eprintln!("SKIPPED: this machine cannot mount a tmpfs in a namespace ({status:?})");
            return;
        }
        other => panic!("the set-up failed: {other:?}"),
    }
    let read = |name: &str| fs::read_to_string(dir.path().join(name)).expect(name);
    assert_ne!(
        read("ingest.code").trim(),
        "0",
        "a full disk must fail the ingest"
    );
    let err = read("ingest.err");
    assert!(err.contains("No space left on device"), "{err}");
    assert!(err.contains("writing the articles into"), "{err}");
    assert!(err.contains("the disk is full"), "{err}");
    assert_eq!(read("export.code").trim(), "0", "{}", read("export.err"));
    let before = read("before.nq");
    assert!(before.lines().count() > 1_000, "the examples were stored");
    assert_eq!(
        read("after.nq"),
        before,
        "the store holds what it held before"
    );
}
