//! What the two "resume" checks share (`kafka-resume`, `stream-offsets`): the student's
//! consumer keeps its place on the broker under one name, and is run three times over 20
//! messages. The first run handles 7 and stops; the second, slow, is killed (SIGKILL) after 3;
//! the third handles the rest. The second must go on after the first (nothing of the first
//! again), and the three together must handle all 20, at most one twice (the one the kill
//! interrupted).

use std::collections::BTreeSet;
use std::time::Duration;

use rust_i18n::t;

use super::{Check, why};

/// How many messages the check puts on the topic or stream.
pub(crate) const COUNT: usize = 20;

/// Runs the three runs with `base` arguments (the topic or stream, the group or name), reads
/// what each handled with `handled`, and checks it. `texts` is the prefix of the lines' keys in
/// the locales (`kafka`, `streams`).
pub(crate) fn three_runs<T: Ord>(
    c: &mut Check,
    base: &[&str],
    handled: fn(&[String]) -> Vec<T>,
    texts: &str,
) {
    let with = |extra: &[&str]| -> Vec<String> {
        base.iter().chain(extra).map(|s| (*s).to_owned()).collect()
    };
    let text = |key: &str| format!("{texts}.{key}");
    let first_args = with(&["--max-messages", "7", "--idle-timeout", "5s"]);
    let first_args: Vec<&str> = first_args.iter().map(String::as_str).collect();
    let Some(first) = c.run(&t!("step.first_run"), &first_args) else {
        return;
    };
    let first_done = handled(&first.stdout);
    if first.success() && first_done.len() == 7 {
        c.pass(&t!(text("first_run_7")));
    } else {
        c.fail(
            &t!(text("first_run_wrong"), n = first_done.len()),
            &why(&first),
        );
        return;
    }
    // A second run, killed in the middle of its work.
    let second_args = with(&["--work", "200ms", "--idle-timeout", "5s"]);
    let second_args: Vec<&str> = second_args.iter().map(String::as_str).collect();
    let Some(mut second) = c.start(&second_args) else {
        return;
    };
    second.saw("Handled", 3, Duration::from_secs(20));
    second.kill();
    let Some(second) = c.finish(&t!("step.killed_run"), second) else {
        return;
    };
    let second_done = handled(&second.stdout);
    let third_args = with(&["--idle-timeout", "4s"]);
    let third_args: Vec<&str> = third_args.iter().map(String::as_str).collect();
    let Some(third) = c.run(&t!("step.restarted_run"), &third_args) else {
        return;
    };
    let third_done = handled(&third.stdout);

    let again = second_done
        .iter()
        .filter(|p| first_done.contains(p))
        .count();
    if again == 0 && !second_done.is_empty() {
        c.pass(&t!(text("resumed")));
    } else if second_done.is_empty() {
        c.fail(&t!("check.second_nothing"), &why(&second));
    } else {
        c.fail(
            &t!(text("not_resumed"), n = again),
            &t!(text("not_resumed_hint")),
        );
    }
    let all: BTreeSet<&T> = first_done
        .iter()
        .chain(&second_done)
        .chain(&third_done)
        .collect();
    let redone = third_done
        .iter()
        .filter(|p| second_done.contains(p))
        .count();
    if all.len() == COUNT && redone <= 1 {
        c.pass(&t!(text("killed_none_lost")));
    } else if all.len() < COUNT {
        c.fail(
            &t!(text("killed_lost"), n = all.len()),
            &t!(text("killed_lost_hint")),
        );
    } else {
        c.fail(
            &t!(text("killed_twice"), n = redone),
            &t!(text("killed_twice_hint")),
        );
    }
}
