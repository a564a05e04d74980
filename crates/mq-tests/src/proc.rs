//! The tests' side of the one process runner, [`mq_run::Proc`]: the same, except that a failed
//! expectation (a binary that will not start, a line that never comes) stops the test with its
//! message, and [`Output::assert_clean_failure`].

// Test support: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use std::ops::{Deref, DerefMut};
use std::time::Duration;

pub use mq_run::Usage;

/// What a finished process printed, and what it used ([`mq_run::Output`]).
#[derive(Debug)]
pub struct Output(pub mq_run::Output);

impl Deref for Output {
    type Target = mq_run::Output;
    fn deref(&self) -> &mq_run::Output {
        &self.0
    }
}

impl Output {
    /// Asserts a clean failure: non-zero exit, one `error:` line naming `needle`, no panic.
    pub fn assert_clean_failure(&self, needle: &str) {
        assert!(
            !self.status.success(),
            "expected a failure, got success: {self:?}"
        );
        assert!(
            self.stderr.contains(needle),
            "stderr should mention {needle:?}: {}",
            self.stderr
        );
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("stack backtrace"),
            "a panic instead of an error: {}",
            self.stderr
        );
        assert!(
            self.elapsed < Duration::from_secs(10),
            "took {:?}",
            self.elapsed
        );
    }
}

/// A running binary ([`mq_run::Proc`]) whose failures fail the test.
#[derive(Debug)]
pub struct Proc(mq_run::Proc);

impl Deref for Proc {
    type Target = mq_run::Proc;
    fn deref(&self) -> &mq_run::Proc {
        &self.0
    }
}

impl DerefMut for Proc {
    fn deref_mut(&mut self) -> &mut mq_run::Proc {
        &mut self.0
    }
}

fn or_fail<T>(result: anyhow::Result<T>) -> T {
    result.unwrap_or_else(|err| panic!("{err:#}"))
}

impl Proc {
    pub fn spawn(name: &str, args: &[&str]) -> Self {
        Self(or_fail(mq_run::Proc::spawn(name, args)))
    }

    pub fn spawn_with_env(name: &str, args: &[&str], env: &[(&str, &str)]) -> Self {
        Self(or_fail(mq_run::Proc::spawn_with_env(name, args, env)))
    }

    /// Starts any program, found on the PATH.
    pub fn spawn_program(program: &str, args: &[&str], env: &[(&str, &str)]) -> Self {
        Self(or_fail(mq_run::Proc::spawn_program(program, args, env)))
    }

    /// Waits until a stdout line contains `needle` `count` times.
    pub fn wait_for(&self, needle: &str, count: usize, timeout: Duration) {
        or_fail(self.0.wait_for(needle, count, timeout));
    }

    /// Waits for a consumer to be subscribed (RabbitMQ) or assigned (Kafka).
    pub fn wait_ready(&self) {
        or_fail(self.0.wait_ready(Duration::from_secs(20)));
    }

    /// Waits for exit, killing the process (and failing) after `timeout`.
    pub fn finish(self, timeout: Duration) -> Output {
        Output(or_fail(self.0.try_finish(timeout)))
    }

    /// Waits for exit; after `timeout`, kills the process and says what it printed.
    pub fn try_finish(self, timeout: Duration) -> Result<Output, String> {
        self.0
            .try_finish(timeout)
            .map(Output)
            .map_err(|err| format!("{err:#}"))
    }
}
