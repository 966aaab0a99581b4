//! The README's set-up commands are the ones CI runs: its test command is
//! the one `.ci/run` ends with, every system package it lists is one
//! `.ci/run` installs, and every extra installer `.ci/run` calls is named in
//! the README for someone setting up by hand.

use std::path::Path;

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The commands of the first shell block under "## Set-up", comments cut.
fn setup_commands(readme: &str) -> Vec<String> {
    let section = readme
        .split("## Set-up")
        .nth(1)
        .expect("the README has a Set-up section");
    let block = section
        .split("```sh")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a sh block in Set-up");
    block
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_readme_test_command_is_what_ci_runs() {
    let readme = read("README.md");
    let ci = read(".ci/run");
    let commands = setup_commands(&readme);
    let test = commands
        .iter()
        .find(|c| c.starts_with("cargo test"))
        .expect("a cargo test command in Set-up");
    let last = ci
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with('#'))
        .expect("a command in .ci/run");
    assert_eq!(
        last, test,
        ".ci/run must end with the README's test command"
    );
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("cargo run --release -- ingest examples")),
        "the main job on the examples: {commands:?}"
    );
}

#[test]
fn every_package_the_readme_lists_is_one_ci_installs() {
    let readme = read("README.md");
    let ci = read(".ci/run");
    let commands = setup_commands(&readme);
    let apt = commands
        .iter()
        .find(|c| c.contains("apt-get install"))
        .expect("the system packages line");
    for package in apt
        .split_whitespace()
        .skip_while(|w| *w != "install")
        .skip(1)
    {
        if package.starts_with('-') {
            continue;
        }
        assert!(ci.contains(package), ".ci/run does not install {package}");
    }
}

#[test]
fn every_installer_ci_calls_is_named_in_the_readme() {
    let readme = read("README.md");
    let ci = read(".ci/run");
    for line in ci.lines().map(str::trim).filter(|l| l.starts_with("bash ")) {
        let script = line.split_whitespace().nth(1).expect("a script after bash");
        assert!(
            readme.contains(script),
            "the README does not mention {script}"
        );
    }
    if ci.contains("oxigraph==") {
        assert!(
            readme.contains("oxigraph=="),
            "the README does not mention the oxigraph install"
        );
    }
}
