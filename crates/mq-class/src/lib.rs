//! What the class tools share: the exercises in the order of the chapters, their hints, and a
//! student's progress (`just check` writes it; `just progress`, `just hint` and `just watch`
//! read it), and the result a class board receives.

// The messages of the class tools, in English and Chinese: locales/class.yml.
rust_i18n::i18n!("locales", fallback = "en");

pub mod exercises;
pub mod lang;
pub mod progress;
pub mod results;

/// The student's name, as every class tool uses it: `STUDENT` must be a usable name as it is.
pub fn student() -> anyhow::Result<String> {
    mq_common::student::checked().map_err(|_| {
        anyhow::anyhow!(
            "{}",
            rust_i18n::t!(
                "student.unusable",
                raw = std::env::var("STUDENT").unwrap_or_default(),
                example = mq_common::student::student()
            )
        )
    })
}
