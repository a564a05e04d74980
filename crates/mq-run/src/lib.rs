//! # mq-run: one harness for every process the workspace starts
//!
//! - [`Proc`]: start a chapter's binary (or any program), read its lines as they come, wait for
//!   one, stop it, and collect what it printed and used ([`Output`]). The tests, the exercise
//!   checker, the class tools, the bench and the runner all start processes through it.
//! - [`build`]: `cargo build` of some packages with one progress line, in its own process group.
//! - [`stop`]: on Ctrl+C or SIGTERM, every process started here ends, builds included.
//! - [`repo`]: where the repository and the built binaries are, and its settings files.
//! - [`procfs`]: what `/proc/PID/stat` says of a process.
//!
//! Everything returns `Result`: a learner's mistake (a binary not built, a broker not up) is an
//! error message, never a panic. The lines waited for come from [`mq_common::lines`], which the
//! binaries print through.
//!
//! The runner itself, `mq-run` (`src/bin/mq-run/`), runs the chapters' scenarios and `just
//! demo` on it.

pub mod build;
mod proc;
pub mod procfs;
pub mod repo;
pub mod stop;

pub use proc::{Output, Proc, Usage};
pub use repo::{bin, bin_path, repo_root, settings_file, unique};
