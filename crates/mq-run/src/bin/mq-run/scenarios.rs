//! Every chapter's scenario, as data: who runs (a label, a binary, its arguments), what to wait
//! for, and what to say at the end. `just rabbit-topic` runs `rabbit-topic`'s steps; `just demo`
//! runs them all. The lines waited for and counted are `mq_common::lines`.

use crate::printed::Printed;
use mq_common::lines::{ASSIGNED, AWAITING_RPC, FIB_REPLY};

/// The broker a scenario needs: `mq-run` starts it when its port does not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broker {
    RabbitMq,
    /// RabbitMQ 4's stream listener: the stream client needs RabbitMQ 3.13 or newer.
    RabbitMq4Streams,
    Kafka,
}

/// One step of a scenario. In arguments and topic names, `{stamp}` is the run's own number
/// (the seconds since 1970), so that a run never meets an earlier run's group or topic.
#[derive(Debug)]
pub enum Step {
    /// `kafka-topic.sh create NAME PARTITIONS` (Kafka's own TopicCommand).
    Topic(&'static str, u32),
    /// Start LABEL: BINARY ARGS in the background, its lines printed after `[LABEL]`.
    Start(&'static str, &'static str, &'static [&'static str]),
    /// Wait (30 s at most) until LABEL is subscribed or assigned (`lines::is_ready`).
    Ready(&'static str),
    /// Wait (30 s at most) until LABEL has printed a line starting with TEXT N times.
    Printed(&'static str, &'static str, usize),
    /// Wait (30 s at most) until the consumers together report N messages.
    Messages(usize),
    /// Run LABEL: BINARY ARGS in the foreground, to its end; it must succeed.
    Run(&'static str, &'static str, &'static [&'static str]),
    /// SIGKILL to LABEL (a consumer dies without a chance to clean up).
    Kill(&'static str),
    /// SIGTERM to LABEL (as Ctrl+C would stop it).
    Stop(&'static str),
    Sleep(u64),
    Say(&'static str),
    /// Wait for every consumer still running (60 s at most); each must succeed.
    Finish,
    /// A line computed from what was printed so far.
    Report(fn(&dyn Printed) -> String),
}

/// A chapter's scenario.
#[derive(Debug)]
pub struct Scenario {
    pub name: &'static str,
    pub broker: Broker,
    /// The packages whose binaries it runs: `just rabbit-simple` builds these, not the workspace.
    pub packages: &'static [&'static str],
    /// `just CHAPTER ROLE ARGS…` runs one role's binary with those arguments.
    pub roles: &'static [(&'static str, &'static str)],
    pub steps: &'static [Step],
}

use Step::*;

/// A safety net: no scenario's consumer waits forever.
const IDLE: &str = "10s";

#[rustfmt::skip]
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "rabbit-simple",
        broker: Broker::RabbitMq,
        packages: &["rabbit-simple-producer", "rabbit-simple-consumer"],
        roles: &[("producer", "rabbit-simple-producer"), ("consumer", "rabbit-simple-consumer")],
        steps: &[
            Start("consumer", "rabbit-simple-consumer", &["--max-messages", "5", "--idle-timeout", IDLE]),
            Ready("consumer"),
            Run("producer", "rabbit-simple-producer", &[]),
            Finish,
        ],
    },
    Scenario {
        name: "rabbit-worker",
        broker: Broker::RabbitMq,
        packages: &["rabbit-worker-producer", "rabbit-worker-consumer"],
        roles: &[("producer", "rabbit-worker-producer"), ("consumer", "rabbit-worker-consumer")],
        // worker-2 is five times slower than worker-1 (50 ms per task against 10): with
        // prefetch 1 each worker gets a new task only when it has acked the last, so worker-1
        // takes about 5/6.
        steps: &[
            Start("worker-1", "rabbit-worker-consumer", &["--idle-timeout", "2s", "--work", "10ms"]),
            Start("worker-2", "rabbit-worker-consumer", &["--idle-timeout", "2s", "--work", "50ms"]),
            Ready("worker-1"),
            Ready("worker-2"),
            Run("producer", "rabbit-worker-producer", &[]),
            Finish,
            Report(|run| {
                format!(
                    "worker-1 got {} tasks, worker-2 (slow) got {}, of 100: each delivery went to one worker",
                    run.messages("worker-1"),
                    run.messages("worker-2")
                )
            }),
        ],
    },
    Scenario {
        name: "rabbit-pubsub",
        broker: Broker::RabbitMq,
        packages: &["rabbit-pubsub-producer", "rabbit-pubsub-consumer"],
        roles: &[("producer", "rabbit-pubsub-producer"), ("consumer", "rabbit-pubsub-consumer")],
        steps: &[
            Start("subscriber-1", "rabbit-pubsub-consumer", &["--max-messages", "21", "--idle-timeout", IDLE]),
            Start("subscriber-2", "rabbit-pubsub-consumer", &["--max-messages", "21", "--idle-timeout", IDLE]),
            Ready("subscriber-1"),
            Ready("subscriber-2"),
            Run("producer", "rabbit-pubsub-producer", &[]),
            Finish,
            Report(|run| {
                format!(
                    "subscriber-1 got {} messages, subscriber-2 got {}: each got every message",
                    run.messages("subscriber-1"),
                    run.messages("subscriber-2")
                )
            }),
        ],
    },
    Scenario {
        name: "rabbit-routing",
        broker: Broker::RabbitMq,
        packages: &["rabbit-routing-producer", "rabbit-routing-consumer"],
        roles: &[("producer", "rabbit-routing-producer"), ("consumer", "rabbit-routing-consumer")],
        steps: &[
            Start("imooc_one", "rabbit-routing-consumer", &["--binding-key", "imooc_one", "--max-messages", "11", "--idle-timeout", IDLE]),
            Start("imooc_two", "rabbit-routing-consumer", &["--binding-key", "imooc_two", "--max-messages", "11", "--idle-timeout", IDLE]),
            Ready("imooc_one"),
            Ready("imooc_two"),
            Run("producer", "rabbit-routing-producer", &[]),
            Finish,
        ],
    },
    Scenario {
        name: "rabbit-topic",
        broker: Broker::RabbitMq,
        packages: &["rabbit-topic-producer", "rabbit-topic-consumer"],
        roles: &[("producer", "rabbit-topic-producer"), ("consumer", "rabbit-topic-consumer")],
        // '#' matches every key; 'imooc.*.three' only keys of exactly three words ending in three.
        steps: &[
            Start("#", "rabbit-topic-consumer", &["--binding-key", "#", "--max-messages", "22", "--idle-timeout", IDLE]),
            Start("imooc.*.three", "rabbit-topic-consumer", &["--binding-key", "imooc.*.three", "--max-messages", "11", "--idle-timeout", IDLE]),
            Ready("#"),
            Ready("imooc.*.three"),
            Run("producer", "rabbit-topic-producer", &[]),
            Finish,
            Report(|run| {
                format!(
                    "'#' got {} messages (all), 'imooc.*.three' got {} (only imooc.topic88.three)",
                    run.messages("#"),
                    run.messages("imooc.*.three")
                )
            }),
        ],
    },
    Scenario {
        name: "rabbit-rpc",
        broker: Broker::RabbitMq,
        packages: &["rabbit-rpc-server", "rabbit-rpc-client"],
        roles: &[("server", "rabbit-rpc-server"), ("client", "rabbit-rpc-client")],
        // Five requests in flight at once; each reply is matched to its request by correlation id.
        steps: &[
            Start("server", "rabbit-rpc-server", &["--max-requests", "5", "--idle-timeout", IDLE]),
            Printed("server", AWAITING_RPC, 1),
            Run("client", "rabbit-rpc-client", &["--n", "30", "--n", "10", "--n", "20", "--n", "5", "--n", "40"]),
            Finish,
            Report(|run| {
                format!(
                    "server answered {} requests; the client matched every reply by its correlation id",
                    run.count("server", &|l| l.starts_with(FIB_REPLY))
                )
            }),
        ],
    },
    Scenario {
        name: "rabbit-confirms",
        broker: Broker::RabbitMq,
        packages: &["rabbit-confirms"],
        // Its one binary: `just rabbit-confirms --strategy batch` passes the flags to it.
        roles: &[],
        steps: &[Run("confirms", "rabbit-confirms", &[])],
    },
    Scenario {
        name: "rabbit-stream",
        broker: Broker::RabbitMq4Streams,
        packages: &["rabbit-stream-producer", "rabbit-stream-consumer"],
        roles: &[("producer", "rabbit-stream-producer"), ("consumer", "rabbit-stream-consumer")],
        // Two readers from the next message on: each reads all 10, since reading a stream takes
        // nothing away (a queue would share them out).
        steps: &[
            Start("reader-1", "rabbit-stream-consumer", &["--offset", "next", "--max-messages", "10", "--idle-timeout", IDLE]),
            Start("reader-2", "rabbit-stream-consumer", &["--offset", "next", "--max-messages", "10", "--idle-timeout", IDLE]),
            Ready("reader-1"),
            Ready("reader-2"),
            Run("producer", "rabbit-stream-producer", &[]),
            Finish,
            Report(|run| {
                format!(
                    "reader-1 got {} messages, reader-2 got {}, of 10: each read every message",
                    run.messages("reader-1"),
                    run.messages("reader-2")
                )
            }),
        ],
    },
    Scenario {
        name: "rabbit-superstream",
        broker: Broker::RabbitMq4Streams,
        packages: &["rabbit-superstream-producer", "rabbit-superstream-consumer"],
        roles: &[("producer", "rabbit-superstream-producer"), ("consumer", "rabbit-superstream-consumer")],
        // Three consumers of one name on a super stream of three partitions: the broker makes
        // each the single active consumer of one partition. Then consumer-1 is killed (kill -9):
        // another one becomes active on its partition and goes on after the offset it stored.
        steps: &[
            Start("consumer-1", "rabbit-superstream-consumer", SUPER_CONSUMER),
            Ready("consumer-1"),
            Start("consumer-2", "rabbit-superstream-consumer", SUPER_CONSUMER),
            Ready("consumer-2"),
            Start("consumer-3", "rabbit-superstream-consumer", SUPER_CONSUMER),
            Ready("consumer-3"),
            Say("== 24 messages of 8 users; the same user always lands in the same partition:"),
            Run("producer", "rabbit-superstream-producer", &["--quiet"]),
            Messages(24),
            Report(crate::superstream::keys_by_partition),
            Report(|run| {
                crate::superstream::who_read(run, &["consumer-1", "consumer-2", "consumer-3"])
            }),
            Say("== consumer-1 killed (kill -9); 24 more messages:"),
            Kill("consumer-1"),
            Run("producer", "rabbit-superstream-producer", &["--quiet"]),
            Finish,
            Report(crate::superstream::in_all),
        ],
    },
    Scenario {
        name: "kafka",
        broker: Broker::Kafka,
        packages: &["kafka-producer", "kafka-consumer"],
        roles: &[("producer", "kafka-producer"), ("consumer", "kafka-consumer")],
        steps: &[
            Topic("web_log", 3),
            Start("consumer", "kafka-consumer", &["--topic", "web_log", "--max-messages", "10", "--idle-timeout", IDLE]),
            Ready("consumer"),
            Run("producer", "kafka-producer", &["--topic", "web_log", "--count", "10"]),
            Finish,
        ],
    },
    Scenario {
        name: "kafka-p2p",
        broker: Broker::Kafka,
        packages: &["kafka-producer", "kafka-consumer"],
        roles: &[],
        // One group, two members: the partitions are split between them (statically: member 1
        // owns 0 and 2, member 2 owns 1), so each message is received once, by the member that
        // owns its partition.
        steps: &[
            Topic("web_log_groups", 3),
            Start("member-1", "kafka-consumer", &["--topic", "web_log_groups", "--group", "p2p-{stamp}", "--member", "1/2", "--idle-timeout", "3s"]),
            Start("member-2", "kafka-consumer", &["--topic", "web_log_groups", "--group", "p2p-{stamp}", "--member", "2/2", "--idle-timeout", "3s"]),
            Ready("member-1"),
            Ready("member-2"),
            Run("producer", "kafka-producer", &["--topic", "web_log_groups", "--count", "12"]),
            Finish,
            Report(|run| {
                format!(
                    "group p2p-{}: member-1 (partitions 0, 2) got {}, member-2 (partition 1) got {}, of 12: they split the partitions",
                    run.stamp(),
                    run.messages("member-1"),
                    run.messages("member-2")
                )
            }),
        ],
    },
    Scenario {
        name: "kafka-pubsub",
        broker: Broker::Kafka,
        packages: &["kafka-producer", "kafka-consumer"],
        roles: &[],
        // Two groups: each group receives every message.
        steps: &[
            Topic("web_log_groups", 3),
            Start("group-a", "kafka-consumer", &["--topic", "web_log_groups", "--group", "a-{stamp}", "--max-messages", "12", "--idle-timeout", IDLE]),
            Start("group-b", "kafka-consumer", &["--topic", "web_log_groups", "--group", "b-{stamp}", "--max-messages", "12", "--idle-timeout", IDLE]),
            Ready("group-a"),
            Ready("group-b"),
            Run("producer", "kafka-producer", &["--topic", "web_log_groups", "--count", "12"]),
            Finish,
            Report(|run| {
                format!(
                    "group a-{0} got {1}, group b-{0} got {2} of 12: groups don't compete",
                    run.stamp(),
                    run.messages("group-a"),
                    run.messages("group-b")
                )
            }),
        ],
    },
    Scenario {
        name: "kafka-group",
        broker: Broker::Kafka,
        packages: &["kafka-group-consumer", "kafka-producer"],
        roles: &[],
        // Real group membership (rdkafka): the broker's group coordinator splits the partitions,
        // then rebalances when a member dies and when another joins.
        steps: &[
            Topic("web_log_group_{stamp}", 3),
            Start("member-1", "kafka-group-consumer", GROUP_MEMBER),
            Printed("member-1", ASSIGNED, 1),
            Start("member-2", "kafka-group-consumer", GROUP_MEMBER),
            Printed("member-2", ASSIGNED, 1),
            Say("== two members split the 3 partitions; 12 messages:"),
            Run("producer", "kafka-producer", &["--topic", "web_log_group_{stamp}", "--count", "12", "--quiet"]),
            Sleep(2),
            Say(
                "== member-2 is killed (SIGKILL): within the 6 s session timeout, member-1 takes its partitions over",
            ),
            Kill("member-2"),
            Printed("member-1", ASSIGNED, 3),
            Run("producer", "kafka-producer", &["--topic", "web_log_group_{stamp}", "--count", "6", "--quiet"]),
            Say("== member-3 joins: the group rebalances again"),
            Start("member-3", "kafka-group-consumer", GROUP_MEMBER),
            Printed("member-3", ASSIGNED, 1),
            Run("producer", "kafka-producer", &["--topic", "web_log_group_{stamp}", "--count", "6", "--quiet"]),
            Stop("member-1"),
            Stop("member-3"),
            Finish,
            Report(|run| {
                format!(
                    "member-1 got {}, member-2 got {} before it was killed, member-3 got {}, of 24 (a message can come twice after a kill: at-least-once)",
                    run.messages("member-1"),
                    run.messages("member-2"),
                    run.messages("member-3")
                )
            }),
        ],
    },
];

const SUPER_CONSUMER: &[&str] = &["--store-every", "4", "--idle-timeout", "8s"];
#[rustfmt::skip]
const GROUP_MEMBER: &[&str] = &["--topic", "web_log_group_{stamp}", "--group", "group-{stamp}", "--from-beginning", "--idle-timeout", "25s"];

/// The scenario of `name`.
pub fn find(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scenario builds what it runs, waits only for what it started, and its roles are its
    /// binaries.
    #[test]
    fn scenarios_build_what_they_run() {
        for scenario in SCENARIOS {
            let mut started: Vec<&str> = Vec::new();
            for step in scenario.steps {
                match step {
                    Start(label, binary, _) | Run(label, binary, _) => {
                        assert!(
                            scenario.packages.contains(binary),
                            "{}: {binary}",
                            scenario.name
                        );
                        started.push(label);
                    }
                    Ready(label) | Printed(label, _, _) | Kill(label) | Stop(label) => {
                        assert!(
                            started.contains(label),
                            "{}: {label} before its start",
                            scenario.name
                        );
                    }
                    _ => {}
                }
            }
            for (_, binary) in scenario.roles {
                assert!(
                    scenario.packages.contains(binary),
                    "{}: role {binary}",
                    scenario.name
                );
            }
        }
    }
}
