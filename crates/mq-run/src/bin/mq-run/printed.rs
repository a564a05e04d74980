//! What a run's processes printed, as the scenarios' reports read it.

use mq_common::lines;

/// The lines each labelled process of a run printed on stdout so far.
pub trait Printed {
    /// `{stamp}` in the scenario's arguments: the seconds since 1970 at the start of the run.
    fn stamp(&self) -> u64;

    /// Everything LABEL printed (its lines of every start under that label).
    fn lines(&self, label: &str) -> Vec<String>;

    /// The lines of every process of the run.
    fn all_lines(&self) -> Vec<String>;

    /// How many lines LABEL printed that satisfy `matches`.
    fn count(&self, label: &str, matches: &dyn Fn(&str) -> bool) -> usize {
        self.lines(label).iter().filter(|l| matches(l)).count()
    }

    /// How many messages LABEL reports received (`lines::is_message`).
    fn messages(&self, label: &str) -> usize {
        self.count(label, &lines::is_message)
    }
}
