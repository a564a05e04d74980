//! A bare connection and channel, for the chapters that call lapin directly in their binary
//! (RPC, publisher confirms), as the official RabbitMQ tutorials do. Connecting, its errors and
//! when to stop consuming are shared with the five modes; the lesson stays in the binary.

use std::time::Duration;

use lapin::{Channel, Connection, ConnectionProperties, Consumer};

use super::connect::{connect, explain};
use super::deliveries::Deliveries;
use crate::config::RabbitArgs;

/// One connection and its first channel.
#[derive(Debug)]
pub struct Session {
    connection: Connection,
    channel: Channel,
}

impl Session {
    /// Connects (with the same clear errors as every other binary) and opens a channel.
    /// `name` shows in the management UI's connection list.
    pub async fn open(args: &RabbitArgs, name: &str) -> anyhow::Result<Self> {
        let properties = ConnectionProperties::default()
            .with_connection_name(format!("mq-tutorial-rs {name}").into());
        Self::connect(args, properties).await
    }

    /// Like [`Session::open`], with lapin's connection properties as given.
    pub(crate) async fn connect(
        args: &RabbitArgs,
        properties: ConnectionProperties,
    ) -> anyhow::Result<Self> {
        let connection = connect(args, properties).await?;
        let channel = connection
            .create_channel()
            .await
            .map_err(|e| explain(e, "opening a channel".to_owned()))?;
        Ok(Self {
            connection,
            channel,
        })
    }

    /// The connection and its channel, for a type that builds on them.
    pub(crate) fn into_parts(self) -> (Connection, Channel) {
        (self.connection, self.channel)
    }

    pub fn channel(&self) -> &Channel {
        &self.channel
    }

    /// Another channel on the same connection.
    pub async fn create_channel(&self) -> anyhow::Result<Channel> {
        self.connection
            .create_channel()
            .await
            .map_err(|e| explain(e, "opening a channel".to_owned()))
    }

    /// The deliveries of `consumer` (on this session's channel), ending on Ctrl+C or after
    /// `idle_timeout` without one.
    pub fn deliveries(&self, consumer: Consumer, idle_timeout: Option<Duration>) -> Deliveries<'_> {
        Deliveries::new(
            consumer,
            &self.connection,
            &self.channel,
            false,
            idle_timeout,
        )
    }

    /// Closes the connection (and with it every channel), if it is still open.
    pub async fn close(&self) -> anyhow::Result<()> {
        if !self.connection.status().connected() {
            return Ok(());
        }
        self.connection
            .close(200, "bye".into())
            .await
            .map_err(|e| explain(e, "closing the connection".to_owned()))
    }
}
