//! What `/proc/PID/stat` says of a process: the one reader of it for the sampler ([`crate::Proc`]),
//! the stopping ([`crate::stop`]) and the runner's tests.

/// The fields of `/proc/PID/stat` used here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stat {
    /// `R`, `S`, `Z` (a zombie: ended, not yet reaped), `X`, …
    pub state: String,
    pub ppid: u32,
    pub pgrp: u32,
    /// CPU time in user and system mode, in clock ticks (Linux fixes USER_HZ at 100 a second).
    pub utime: u64,
    pub stime: u64,
    /// When it started, in clock ticks since boot: with the pid, it tells a reused pid apart.
    pub start: u64,
}

impl Stat {
    /// Ended (a zombie or gone), though maybe not reaped.
    pub fn ended(&self) -> bool {
        self.state == "Z" || self.state == "X"
    }
}

/// `/proc/PID/stat`, or `None` once the process is gone.
pub fn stat(pid: u32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse(&text)
}

/// The fields after the command name, which is in parentheses and may hold spaces.
fn parse(text: &str) -> Option<Stat> {
    let fields: Vec<&str> = text.rsplit_once(')')?.1.split_whitespace().collect();
    let number = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    let id = |i: usize| number(i).and_then(|n| u32::try_from(n).ok());
    Some(Stat {
        state: (*fields.first()?).to_owned(),
        ppid: id(1)?,
        pgrp: id(2)?,
        // utime, stime and starttime are fields 14, 15 and 22 of stat: 12, 13 and 20 after
        // the name.
        utime: number(11)?,
        stime: number(12)?,
        start: number(19)?,
    })
}

/// Every process of the machine, by pid.
pub fn all() -> Vec<(u32, Stat)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| Some((pid, stat(pid)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_name_with_spaces_and_parentheses_is_skipped() {
        let line = "42 (a (b) c) S 7 42 42 0 -1 4194560 100 0 0 0 250 31 0 0 20 0 1 0 9876 1000 10";
        let stat = parse(line).expect("a stat line");
        assert_eq!((stat.state.as_str(), stat.ppid, stat.pgrp), ("S", 7, 42));
        assert_eq!((stat.utime, stat.stime, stat.start), (250, 31, 9876));
        assert!(!stat.ended());
    }

    #[test]
    fn this_process_is_found() {
        let me = stat(std::process::id()).expect("this process");
        assert!(!me.ended());
        assert!(all().iter().any(|(pid, _)| *pid == std::process::id()));
    }
}
