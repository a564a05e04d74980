//! Where things are: the repository, the built binaries, the settings files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};

/// The path of a workspace binary of the same profile as the running program: next to it, or
/// next to a test executable's `deps/` folder. It honours `CARGO_TARGET_DIR`, since it only
/// looks beside the running program. It may not exist.
pub fn bin_path(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    let mut dir = exe.parent().unwrap_or(Path::new(".")).to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    dir.join(name)
}

/// [`bin_path`], which must exist.
pub fn bin(name: &str) -> anyhow::Result<PathBuf> {
    let path = bin_path(name);
    if !path.exists() {
        bail!(
            "{} is missing: build it first (`cargo build --bins -p {name}`; `just test` builds every binary)",
            path.display()
        );
    }
    Ok(path)
}

/// Is `dir` the top of this workspace?
fn is_root(dir: &Path) -> bool {
    dir.join("justfile").is_file() && dir.join("crates/mq-common/Cargo.toml").is_file()
}

/// The workspace's top folder: `MQ_REPO_ROOT` if set, else the nearest folder above the current
/// one (or above the running program) that holds the justfile and `crates/`. Nothing is baked
/// in at build time, so a binary copied elsewhere, or built into another `CARGO_TARGET_DIR`,
/// still finds the repository it is run in.
pub fn repo_root() -> anyhow::Result<PathBuf> {
    if let Some(root) = std::env::var_os("MQ_REPO_ROOT") {
        return Ok(PathBuf::from(root));
    }
    let here = std::env::current_dir().context("the current folder")?;
    let exe = std::env::current_exe().unwrap_or_default();
    for start in [here.as_path(), exe.as_path()] {
        if let Some(root) = start.ancestors().find(|dir| is_root(dir)) {
            return Ok(root.to_path_buf());
        }
    }
    bail!(
        "cannot find the mq-tutorial-rs repository above {}: run this from inside it (or set MQ_REPO_ROOT)",
        here.display()
    )
}

/// The `KEY=VALUE` lines of a settings file of the repository (`docker/brokers.env`,
/// `.env.example`), or the `key = value` lines of `docker/rabbitmq.conf`.
pub fn settings_file(path: &str) -> anyhow::Result<HashMap<String, String>> {
    let full = repo_root()?.join(path);
    let text =
        std::fs::read_to_string(&full).with_context(|| format!("read {}", full.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect())
}

/// A name no other run (or test) uses: `PREFIX-PID-NANOS`.
pub fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |t| t.as_nanos());
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        nanos % 1_000_000_000_000
    )
}
