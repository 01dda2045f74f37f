//! Every example command shown in `--help` texts and in Documentation/cli.md is
//! valid `fwctl` syntax (parsed by the real clap definitions).

use clap::Parser;
use fwctl_cli::cli::Cli;

/// The `fwctl …` command of an example line, without comments, pipes and redirections.
fn example_argv(line: &str) -> Option<Vec<String>> {
    let line = line.trim();
    let line = line.split_once('|').map_or(line, |(a, _)| a);
    let line = line.split_once(" >").map_or(line, |(a, _)| a);
    let line = line.split_once(" #").map_or(line, |(a, _)| a);
    let words = shell_words(line);
    (words.first().map(String::as_str) == Some("fwctl")).then_some(words)
}

/// Split like a shell: whitespace separates words, '…' and "…" quote (quotes removed).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let (mut word, mut quote, mut any) = (String::new(), None, false);
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            (None, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    words
}

fn check(source: &str, line: &str) {
    if let Some(argv) = example_argv(line)
        && let Err(e) = Cli::try_parse_from(&argv)
    {
        panic!("{source}: example '{line}' does not parse: {e}");
    }
}

#[test]
fn every_help_example_parses() {
    let root = fwctl_cli::cli::command();
    let mut seen = 0;
    for sub in root.get_subcommands() {
        let help = sub.get_after_help().map(|h| h.to_string()).unwrap_or_default();
        for line in help.lines().filter(|l| l.trim_start().starts_with("fwctl ")) {
            check(sub.get_name(), line);
            seen += 1;
        }
    }
    assert!(seen >= 10, "only {seen} examples found");
}

#[test]
fn every_documented_example_parses() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Documentation/cli.md")).unwrap();
    let mut in_sh = false;
    let mut seen = 0;
    for line in doc.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        if in_sh && example_argv(line).is_some() {
            check("Documentation/cli.md", line);
            seen += 1;
        }
    }
    assert!(seen >= 4, "only {seen} examples found");
}
