//! What the class tools share: the exercises in the order of the chapters, their hints, and a
//! student's progress (`just check` writes it; `just progress`, `just hint` and `just watch`
//! read it), and the result a class board receives.

pub mod exercises;
pub mod progress;
pub mod results;

/// The student's name, as every class tool uses it: `STUDENT` must be a usable name as it is.
pub fn student() -> anyhow::Result<String> {
    mq_common::student::checked().map_err(anyhow::Error::msg)
}
