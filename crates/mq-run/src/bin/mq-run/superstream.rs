//! The super stream scenario's reports: which user's messages went to which partition, which
//! consumer read which partition, and what was read twice after consumer-1 was killed.

use std::collections::{BTreeMap, BTreeSet};

use crate::printed::Printed;

/// `(key, partition, offset)` of each ` [x] Received '…' (key K, partition P, offset O)` line.
fn positions(lines: &[String]) -> Vec<(String, String, u64)> {
    lines
        .iter()
        .filter_map(|line| {
            let rest = line.split_once("(key ")?.1;
            let (key, rest) = rest.split_once(", partition ")?;
            let (partition, rest) = rest.split_once(", offset ")?;
            let offset = rest.trim_end_matches(')').parse().ok()?;
            Some((key.to_owned(), partition.to_owned(), offset))
        })
        .collect()
}

/// Each partition and the users whose messages landed in it.
pub fn keys_by_partition(run: &dyn Printed) -> String {
    let mut keys: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (key, partition, _) in positions(&run.all_lines()) {
        keys.entry(partition).or_default().insert(key);
    }
    keys.iter()
        .map(|(partition, keys)| {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            format!("  {partition}: {}", keys.join(" "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `hello-superstream-0 (8), …`: the partitions LABEL read from, and how many from each.
fn partitions(run: &dyn Printed, label: &str) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, partition, _) in positions(&run.lines(label)) {
        *counts.entry(partition).or_default() += 1;
    }
    if counts.is_empty() {
        return "nothing".to_owned();
    }
    counts
        .iter()
        .map(|(p, n)| format!("{p} ({n})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line per consumer: what it read.
pub fn who_read(run: &dyn Printed, labels: &[&str]) -> String {
    labels
        .iter()
        .map(|label| format!("{label} read {}", partitions(run, label)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The end: what the survivors read, and what was read twice.
pub fn in_all(run: &dyn Printed) -> String {
    let at = |lines: &[String]| -> Vec<(String, u64)> {
        positions(lines)
            .into_iter()
            .map(|(_, p, o)| (p, o))
            .collect()
    };
    let all = at(&run.all_lines());
    let distinct: BTreeSet<&(String, u64)> = all.iter().collect();
    let twice = distinct
        .iter()
        .filter(|p| all.iter().filter(|q| q == *p).count() > 1)
        .count();
    let first: BTreeSet<(String, u64)> = at(&run.lines("consumer-1")).into_iter().collect();
    let mut others = at(&run.lines("consumer-2"));
    others.extend(at(&run.lines("consumer-3")));
    let again = others
        .into_iter()
        .collect::<BTreeSet<_>>()
        .intersection(&first)
        .count();
    format!(
        "== in all: consumer-2 read {}; consumer-3 read {}\n{} different messages read, of 48 sent; {twice} read twice, {again} of them handled by consumer-1 before it was killed",
        partitions(run, "consumer-2"),
        partitions(run, "consumer-3"),
        distinct.len()
    )
}

#[cfg(test)]
mod tests {
    use super::positions;

    #[test]
    fn a_received_line_gives_its_key_partition_and_offset() {
        let lines = [
            " [x] Received 'hello superstream 1 for user-1' (key user-1, partition hello-superstream-1, offset 7)".to_owned(),
            " [*] active on hello-superstream-1: nothing stored yet, from the first".to_owned(),
        ];
        assert_eq!(
            positions(&lines),
            [("user-1".to_owned(), "hello-superstream-1".to_owned(), 7)]
        );
    }
}
