//! # rabbit-topic-producer: topic mode, the sending side (tutorial 1.3②, 5. topic)
//!
//! Teaches: routing keys as dot-separated words (`imooc.topic88.three`), which a `topic`
//! exchange matches against its bindings' patterns.
//!
//! Run it (or everything at once with `just rabbit-topic`):
//! ```text
//! cargo run -p rabbit-topic-consumer -- --binding-key '#'              # terminal 1
//! cargo run -p rabbit-topic-consumer -- --binding-key 'imooc.*.three'  # terminal 2
//! cargo run -p rabbit-topic-producer                                   # terminal 3
//! cargo run -p rabbit-topic-producer -- --key quick.orange.rabbit --count 1
//! ```
//!
//! Output, one round per second:
//! ```text
//!  [x] Sent 'hello imooc.topic88.three!0' (routing key imooc.topic88.three)
//!  [x] Sent 'hello imooc.topic99.four!0' (routing key imooc.topic99.four)
//! ```

use std::process::ExitCode;

use clap::Parser;
use mq_common::config::{RabbitArgs, parse_amqp_name, parse_routing_key};
use mq_common::flags::ProducerDefaults;
use mq_common::rabbit::{ProducerArgs, RabbitMQ, names};

/// Topic: publish 11 rounds, one message per routing key per round, one round per second.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The topic exchange to publish to.
    #[arg(long, default_value = names::TOPIC_EXCHANGE, value_parser = parse_amqp_name)]
    exchange: String,
    /// Routing key, dot-separated words; repeat the flag for several keys.
    #[arg(long = "key", value_name = "KEY", value_parser = parse_routing_key,
          default_values = ["imooc.topic88.three", "imooc.topic99.four"])]
    keys: Vec<String>,
    #[command(flatten)]
    producer: ProducerArgs,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

/// The tutorial's producer.go: 11 rounds of `imooc.topic88.three` and `imooc.topic99.four`.
const DEFAULTS: ProducerDefaults = ProducerDefaults {
    count: "11",
    interval: "1s",
    message: "hello {key}!{i}",
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init_with(|command| DEFAULTS.apply(command));
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    // ANCHOR: main
    let mut rabbitmq = RabbitMQ::topic(&args.rabbit, &args.exchange).await?;
    rabbitmq.publish_all(&args.producer, &args.keys).await?;
    // ANCHOR_END: main
    Ok(())
}
