//! # rabbit-routing-producer: routing mode, the sending side (tutorial 1.3②, 4. routing)
//!
//! Teaches: routing keys. Each message is published to a `direct` exchange with a routing key;
//! the exchange delivers it to the queues bound with exactly that key.
//!
//! The tutorial opens one connection per key; here one connection and one channel publish with
//! any number of keys, since the key is a property of each message, not of the channel.
//!
//! Run it (or everything at once with `just rabbit-routing`):
//! ```text
//! cargo run -p rabbit-routing-consumer -- --binding-key imooc_one   # terminal 1
//! cargo run -p rabbit-routing-consumer -- --binding-key imooc_two   # terminal 2
//! cargo run -p rabbit-routing-producer                              # terminal 3
//! ```
//!
//! Output, one round per second:
//! ```text
//!  [x] Sent 'hello imooc_one!0' (routing key imooc_one)
//!  [x] Sent 'hello imooc_two!0' (routing key imooc_two)
//! ```

use std::process::ExitCode;

use clap::Parser;
use mq_common::config::{RabbitArgs, parse_amqp_name, parse_routing_key};
use mq_common::flags::ProducerDefaults;
use mq_common::rabbit::{ProducerArgs, RabbitMQ, names};

/// Routing: publish 11 rounds, one message per routing key per round, one round per second.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The direct exchange to publish to.
    #[arg(long, default_value = names::ROUTING_EXCHANGE, value_parser = parse_amqp_name)]
    exchange: String,
    /// Routing key; repeat the flag for several keys.
    #[arg(long = "key", value_name = "KEY", value_parser = parse_routing_key,
          default_values = ["imooc_one", "imooc_two"])]
    keys: Vec<String>,
    #[command(flatten)]
    producer: ProducerArgs,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

/// The tutorial's producer.go: `for i := 0; i <= 10; i++ { one.Publish(..); two.Publish(..); Sleep(1s) }`.
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
    let mut rabbitmq = RabbitMQ::routing(&args.rabbit, &args.exchange).await?;
    rabbitmq.publish_all(&args.producer, &args.keys).await?;
    // ANCHOR_END: main
    Ok(())
}
