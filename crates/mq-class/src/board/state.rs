//! What the board knows: for each student and exercise, passed or not and after how many
//! checks; and who has been stuck longest. Built only from the results received, so a board
//! started late and fed the whole stream knows the same as one that ran all along.

use std::collections::{BTreeMap, BTreeSet};

use mq_class::exercises::EXERCISES;
use mq_class::results::CheckResult;
use serde_json::{Value, json};

/// One student's one exercise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub passed: bool,
    pub tries: u32,
    /// The first check, and the last.
    pub first_at: u64,
    pub last_at: u64,
}

/// Everything received so far.
#[derive(Debug, Default)]
pub struct Board {
    cells: BTreeMap<String, BTreeMap<String, Cell>>,
    /// Results already counted: the stream may be read again after a reconnection.
    seen: BTreeSet<String>,
    /// Results dropped because the broker did not vouch for their student (no `user_id`, or a
    /// body that names someone else), each counted once like the others.
    rejected: BTreeSet<String>,
}

impl Board {
    /// Counts one result; false if it was counted already.
    pub fn add(&mut self, result: &CheckResult) -> bool {
        if !self.seen.insert(result.id.clone()) {
            return false;
        }
        let cell = self
            .cells
            .entry(result.student.clone())
            .or_default()
            .entry(result.exercise.clone())
            .or_default();
        if cell.tries == 0 {
            cell.first_at = result.at;
        }
        cell.tries += 1;
        cell.last_at = cell.last_at.max(result.at);
        // Passed once is passed: a later failing check (a student trying something) does not
        // take it back.
        cell.passed |= result.passed;
        true
    }

    /// Counts one result dropped as not vouched for; false if it was counted already.
    pub fn reject(&mut self, id: &str) -> bool {
        self.rejected.insert(id.to_owned())
    }

    /// How many results were dropped.
    pub fn rejected(&self) -> usize {
        self.rejected.len()
    }

    /// The students stuck longest: for each student, the exercise they tried last without
    /// passing it, and for how long (from its first check to `now`), longest first.
    pub fn stuck(&self, now: u64) -> Vec<(String, String, u64)> {
        let mut stuck: Vec<(String, String, u64)> = self
            .cells
            .iter()
            .filter_map(|(student, cells)| {
                let (exercise, cell) = cells.iter().max_by_key(|(_, c)| c.last_at)?;
                (!cell.passed).then(|| {
                    (
                        student.clone(),
                        exercise.clone(),
                        now.saturating_sub(cell.first_at),
                    )
                })
            })
            .collect();
        stuck.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        stuck
    }

    /// A cell as the table shows it: `✔`, `✘N` (N checks so far), or `·` (not started).
    fn mark(cell: Option<&Cell>) -> String {
        match cell {
            Some(c) if c.passed => "✔".to_owned(),
            Some(c) => format!("✘{}", c.tries),
            None => "·".to_owned(),
        }
    }

    /// The terminal's table: a row per student, a column per exercise, then who is stuck.
    pub fn render(&self, now: u64) -> String {
        let width = self.cells.keys().map(String::len).max().unwrap_or(7).max(7);
        let mut out = format!("{:<width$}", "student");
        for (i, _) in EXERCISES.iter().enumerate() {
            out.push_str(&format!(" {:>4}", format!("#{}", i + 1)));
        }
        out.push('\n');
        for (student, cells) in &self.cells {
            out.push_str(&format!("{student:<width$}"));
            for exercise in EXERCISES {
                out.push_str(&format!(" {:>4}", Self::mark(cells.get(exercise))));
            }
            out.push('\n');
        }
        let legend: Vec<String> = EXERCISES
            .iter()
            .enumerate()
            .map(|(i, e)| format!("#{} {e}", i + 1))
            .collect();
        out.push_str(&format!("({})\n", legend.join(", ")));
        out.push_str(&format!(
            "rejected: {} (results whose name the broker did not vouch for)\n",
            self.rejected()
        ));
        for (student, exercise, seconds) in self.stuck(now).iter().take(5) {
            out.push_str(&format!(
                "stuck: {student} on {exercise} for {}m{:02}s\n",
                seconds / 60,
                seconds % 60
            ));
        }
        out
    }

    /// The same for the web page.
    pub fn to_json(&self, now: u64) -> Value {
        let students: Vec<Value> = self
            .cells
            .iter()
            .map(|(student, cells)| {
                let marks: Vec<String> = EXERCISES
                    .iter()
                    .map(|e| Self::mark(cells.get(*e)))
                    .collect();
                json!({ "student": student, "marks": marks })
            })
            .collect();
        let stuck: Vec<Value> = self
            .stuck(now)
            .into_iter()
            .map(|(student, exercise, seconds)| {
                json!({ "student": student, "exercise": exercise, "seconds": seconds })
            })
            .collect();
        json!({
            "exercises": EXERCISES,
            "students": students,
            "stuck": stuck,
            "rejected": self.rejected(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(id: &str, student: &str, exercise: &str, passed: bool, at: u64) -> CheckResult {
        CheckResult {
            id: id.to_owned(),
            student: student.to_owned(),
            exercise: exercise.to_owned(),
            passed,
            failed: if passed {
                Vec::new()
            } else {
                vec!["x".to_owned()]
            },
            at,
        }
    }

    #[test]
    fn results_make_the_table_once_each() {
        let mut board = Board::default();
        assert!(board.add(&result("1", "ann", "simple", false, 100)));
        assert!(board.add(&result("2", "ann", "simple", true, 160)));
        assert!(board.add(&result("3", "bob", "simple", false, 110)));
        assert!(board.add(&result("4", "bob", "simple", false, 130)));
        // The same result again (the stream read again): not counted twice.
        assert!(!board.add(&result("4", "bob", "simple", false, 130)));
        let table = board.render(200);
        assert!(table.contains("ann"), "{table}");
        let bob = table
            .lines()
            .find(|l| l.starts_with("bob"))
            .expect("bob's row");
        assert!(bob.contains("✘2"), "{table}");
        let ann = table
            .lines()
            .find(|l| l.starts_with("ann"))
            .expect("ann's row");
        assert!(ann.contains('✔'), "{table}");
        // bob has been on simple since 110: 90 s at 200.
        assert_eq!(
            board.stuck(200),
            [("bob".to_owned(), "simple".to_owned(), 90)]
        );
        assert!(table.contains("stuck: bob on simple for 1m30s"), "{table}");
    }

    #[test]
    fn a_rejected_result_is_counted_once_and_changes_no_row() {
        let mut board = Board::default();
        assert!(board.add(&result("1", "hoa", "simple", false, 100)));
        assert!(board.reject("2"));
        // Read again after a reconnection: still one.
        assert!(!board.reject("2"));
        let table = board.render(200);
        assert!(table.contains("rejected: 1 "), "{table}");
        let hoa = table
            .lines()
            .find(|l| l.starts_with("hoa"))
            .expect("hoa's row");
        assert!(hoa.contains("✘1"), "{table}");
        assert_eq!(board.to_json(200)["rejected"], 1);
    }
}
