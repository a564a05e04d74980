//! The exercises, in the order of the chapters, and their hints.

use std::path::PathBuf;

use anyhow::{Context as _, bail};

/// Every exercise `just check` knows, in the order of the chapters.
pub const EXERCISES: [&str; 11] = [
    "simple",
    "worker",
    "pubsub",
    "routing",
    "topic",
    "rpc",
    "confirms",
    "kafka-from-beginning",
    "kafka-resume",
    "kafka-rebalance",
    "stream-offsets",
];

/// The exercise's folder: `exercises/NAME` of this checkout.
pub fn folder(name: &str) -> anyhow::Result<PathBuf> {
    Ok(mq_run::repo_root()?.join("exercises").join(name))
}

/// The file a student edits.
pub fn source(name: &str) -> anyhow::Result<PathBuf> {
    Ok(folder(name)?.join("src/main.rs"))
}

/// `name` if it is an exercise; else an error that lists them.
pub fn known(name: &str) -> anyhow::Result<&'static str> {
    match EXERCISES.iter().find(|e| **e == name) {
        Some(e) => Ok(e),
        None => bail!(
            "{}",
            rust_i18n::t!(
                "exercises.unknown",
                name = name,
                list = EXERCISES.join(", ")
            )
        ),
    }
}

/// The hints of an exercise, in the order to show them: the ones its page in the book of the
/// learner's language keeps folded (`docs/LANG/src/ex-NAME.md`, each `<details>` block of its
/// Hints section), so the page and `just hint` never disagree.
pub fn hints(name: &str) -> anyhow::Result<Vec<String>> {
    hints_in(name, crate::lang::language())
}

/// The hints of an exercise, from the page of the book in `lang` (`en` or `zh`).
pub fn hints_in(name: &str, lang: &str) -> anyhow::Result<Vec<String>> {
    let path = mq_run::repo_root()?.join(format!("docs/{lang}/src/ex-{name}.md"));
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(parse_hints(&text))
}

fn parse_hints(page: &str) -> Vec<String> {
    let mut hints = Vec::new();
    let mut hint: Option<Vec<&str>> = None;
    for line in page.lines() {
        let line = line.trim();
        if line.starts_with("<summary>Hint") || line.starts_with("<summary>提示") {
            hint = Some(Vec::new());
        } else if line == "</details>" {
            if let Some(words) = hint.take() {
                hints.push(words.join(" "));
            }
        } else if let Some(words) = hint.as_mut()
            && !line.is_empty()
        {
            words.push(line);
        }
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_are_the_folded_blocks_of_the_page() {
        let page = "## Hints\n\n<details>\n<summary>Hint 1</summary>\n\nOne,\nand more.\n\n</details>\n\n<details>\n<summary>Hint 2</summary>\n\nTwo.\n\n</details>\n";
        assert_eq!(parse_hints(page), ["One, and more.", "Two."]);
    }

    #[test]
    fn every_exercise_has_a_folder_and_hints() {
        for name in EXERCISES {
            assert!(
                folder(name)
                    .expect("the repository")
                    .join("solution.rs")
                    .exists(),
                "{name}"
            );
            for lang in ["en", "zh"] {
                let hints = hints_in(name, lang).expect("the exercise's page");
                assert!(hints.len() >= 2, "{name}, {lang}: {hints:?}");
            }
            assert_eq!(
                hints_in(name, "en").map(|h| h.len()).ok(),
                hints_in(name, "zh").map(|h| h.len()).ok(),
                "{name}: as many hints in both books"
            );
        }
    }
}
