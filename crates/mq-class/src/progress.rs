//! A student's progress: for each exercise, whether it passed, how many checks it took, what
//! failed last, and how many hints were shown. One JSON file per checkout, git-ignored:
//! `.progress.json` at the top of the repository (`MQ_PROGRESS_FILE` names another). Only
//! `just check` on the student's own code changes it; `--solution` runs do not.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::exercises::EXERCISES;

/// One exercise's record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Its last check passed.
    pub done: bool,
    /// How many times it was checked.
    pub tries: u32,
    /// What failed in the last check.
    pub failed: Vec<String>,
    /// When it was last checked, in seconds since 1970.
    pub checked_at: u64,
    /// How many of its hints `just hint` has shown.
    pub hints_shown: usize,
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The exercise checked last (where `just watch` starts).
    pub current: Option<String>,
    pub exercises: BTreeMap<String, Entry>,
}

/// Where the progress file is.
pub fn path() -> anyhow::Result<PathBuf> {
    match std::env::var_os("MQ_PROGRESS_FILE") {
        Some(path) => Ok(PathBuf::from(path)),
        None => Ok(mq_run::repo_root()?.join(".progress.json")),
    }
}

impl Progress {
    /// The progress so far; empty before the first check.
    pub fn load() -> anyhow::Result<Self> {
        let path = path()?;
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).with_context(|| {
                rust_i18n::t!("progress.corrupt", path = path.display()).into_owned()
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
        }
    }

    /// Writes the file (through a temporary file, so that a reader never sees half of it).
    pub fn save(&self) -> anyhow::Result<()> {
        let path = path()?;
        let temporary = path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(self).context("writing the progress")?;
        std::fs::write(&temporary, text + "\n")
            .with_context(|| format!("writing {}", temporary.display()))?;
        std::fs::rename(&temporary, &path).with_context(|| format!("writing {}", path.display()))
    }

    /// Records a check of `name`: passed (nothing failed) or not, and what failed.
    pub fn record(&mut self, name: &str, failed: Vec<String>) {
        let entry = self.exercises.entry(name.to_owned()).or_default();
        entry.done = failed.is_empty();
        entry.tries += 1;
        entry.failed = failed;
        entry.checked_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |t| t.as_secs());
        self.current = Some(name.to_owned());
    }

    /// Whether `name`'s last check passed.
    pub fn done(&self, name: &str) -> bool {
        self.exercises.get(name).is_some_and(|e| e.done)
    }

    /// Where to start: the exercise checked last if it is not done, else the first not done.
    pub fn start(&self) -> Option<&'static str> {
        if let Some(current) = &self.current
            && let Some(name) = EXERCISES.iter().find(|e| *e == current)
            && !self.done(name)
        {
            return Some(name);
        }
        EXERCISES.iter().copied().find(|e| !self.done(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_is_recorded_and_moves_the_current_exercise() {
        let mut p = Progress::default();
        assert_eq!(p.start(), Some("simple"));
        p.record("topic", vec!["the '#' queue got 3 of 22".to_owned()]);
        assert_eq!(p.start(), Some("topic"));
        assert!(!p.done("topic"));
        assert_eq!(p.exercises["topic"].failed.len(), 1);
        p.record("topic", Vec::new());
        assert!(p.done("topic"));
        assert_eq!(p.exercises["topic"].tries, 2);
        assert!(p.exercises["topic"].failed.is_empty());
        // Done: start at the first exercise not done.
        assert_eq!(p.start(), Some("simple"));
    }

    #[test]
    fn every_exercise_done_leaves_nowhere_to_start() {
        let mut p = Progress::default();
        for name in EXERCISES {
            p.record(name, Vec::new());
        }
        assert_eq!(p.start(), None);
    }
}
