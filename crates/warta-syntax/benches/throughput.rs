//! Tagging + parsing throughput, model load time and peak RSS on the UD test
//! files (gold tokenisation). `cargo bench --bench throughput`; skipped when
//! the models or the data are absent.

use std::path::Path;
use std::time::Instant;

use warta_syntax::conllu::{read_file, Check};
use warta_syntax::eval::{peak_rss_kb, thread_cpu_seconds};
use warta_syntax::Model;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = [
        ("en", "../../ontology/models/en.syntax", "../../../shared/data/ud/en/en_ewt-ud-test.conllu"),
        ("id", "../../ontology/models/id.syntax", "../../../shared/data/ud/id/id_gsd-ud-test.conllu"),
    ];
    for (lang, model_path, data_path) in cases {
        let (model_path, data_path) = (root.join(model_path), root.join(data_path));
        if !model_path.exists() || !data_path.exists() {
            println!("{lang}: skipped ({} or {} absent)", model_path.display(), data_path.display());
            continue;
        }
        let started = Instant::now();
        let load_cpu = thread_cpu_seconds();
        let model = match Model::load(&model_path) {
            Ok(m) => m,
            Err(e) => {
                println!("{lang}: {e}");
                continue;
            }
        };
        let load = started.elapsed().as_secs_f64() * 1e3;
        let load_cpu = load_cpu.and_then(|a| thread_cpu_seconds().map(|b| (b - a) * 1e3)).unwrap_or(f64::NAN);
        let sentences = match read_file(&data_path, Check::Tree) {
            Ok(s) => s,
            Err(e) => {
                println!("{lang}: {e}");
                continue;
            }
        };
        let forms: Vec<Vec<&str>> = sentences.iter().map(|s| s.forms()).collect();
        let words: usize = forms.iter().map(Vec::len).sum();
        let (mut times, mut cpu_times) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            let t = Instant::now();
            let cpu = thread_cpu_seconds();
            let mut sink = 0usize;
            for sentence in &forms {
                sink += model.analyse(sentence).len();
            }
            std::hint::black_box(sink);
            times.push(t.elapsed().as_secs_f64());
            if let (Some(a), Some(b)) = (cpu, thread_cpu_seconds()) {
                cpu_times.push(b - a);
            }
        }
        times.sort_by(f64::total_cmp);
        cpu_times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let cpu = cpu_times.get(cpu_times.len() / 2).copied().unwrap_or(f64::NAN);
        println!(
            "{lang}: load {load:.1} ms wall ({load_cpu:.1} ms CPU); {words} words, median of 5 rounds: {median:.3} s wall = {:.0} words/s, {cpu:.3} s CPU = {:.0} words per CPU second; model in memory ~{:.1} MB",
            words as f64 / median,
            words as f64 / cpu,
            model.bytes_in_memory() as f64 / 1e6
        );
    }
    if let Some(kb) = peak_rss_kb() {
        println!("peak RSS (both models loaded in turn): {:.1} MB", kb as f64 / 1024.0);
    }
}
