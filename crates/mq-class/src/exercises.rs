//! The exercises, in the order of the chapters, and their hints.

use std::path::PathBuf;

use anyhow::{Context as _, bail};

/// Every exercise `just check` knows, in the order of the chapters.
pub const EXERCISES: [&str; 8] = [
    "simple",
    "worker",
    "pubsub",
    "routing",
    "topic",
    "confirms",
    "kafka-from-beginning",
    "kafka-resume",
];

/// The exercise's folder: `exercises/NAME` of this checkout.
pub fn folder(name: &str) -> PathBuf {
    mq_tests::repo_root().join("exercises").join(name)
}

/// The file a student edits.
pub fn source(name: &str) -> PathBuf {
    folder(name).join("src/main.rs")
}

/// `name` if it is an exercise; else an error that lists them.
pub fn known(name: &str) -> anyhow::Result<&'static str> {
    match EXERCISES.iter().find(|e| **e == name) {
        Some(e) => Ok(e),
        None => bail!(
            "no exercise '{name}'; the exercises are: {}",
            EXERCISES.join(", ")
        ),
    }
}

/// The hints of an exercise, in the order to show them: `exercises/NAME/hints.md`, one hint
/// per `- ` item (an item may go on over several lines).
pub fn hints(name: &str) -> anyhow::Result<Vec<String>> {
    let path = folder(name).join("hints.md");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(parse_hints(&text))
}

fn parse_hints(text: &str) -> Vec<String> {
    let mut hints: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(item) = line.strip_prefix("- ") {
            hints.push(item.trim().to_owned());
        } else if let Some(last) = hints.last_mut()
            && !line.trim().is_empty()
            && line.starts_with(' ')
        {
            last.push(' ');
            last.push_str(line.trim());
        }
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_are_the_items_of_the_list() {
        let text = "# Hints\n\n- one\n  more of one\n- two\n\nnot a hint\n";
        assert_eq!(parse_hints(text), ["one more of one", "two"]);
    }

    #[test]
    fn every_exercise_has_a_folder_and_hints() {
        for name in EXERCISES {
            assert!(folder(name).join("solution.rs").exists(), "{name}");
            let hints = hints(name).expect("hints.md");
            assert!(hints.len() >= 2, "{name}: {hints:?}");
        }
    }
}
