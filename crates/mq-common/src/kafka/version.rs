//! Which Kafka is this? The `kafka` crate sends only version-0 requests, which Kafka 4.0
//! removed (KIP-896), so [`check_broker`] asks the broker first (ApiVersions v0).

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::error::Error;

const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

// ANCHOR: probe
/// Asks the first broker that answers which protocol versions it speaks (ApiVersions v0) and
/// fails if it no longer speaks the v0 requests the `kafka` crate sends.
///
/// Without this check, a Kafka 4 broker accepts the connection and the metadata request, then
/// closes the connection on the first produce or fetch, which looks like a network fault.
pub(crate) fn check_broker(brokers: &[String]) -> Result<(), Error> {
    let mut last_error = String::from("no broker given");
    for broker in brokers {
        match probe(broker) {
            Ok(versions) => {
                return match too_new(&versions) {
                    Some(api) => Err(Error::KafkaTooNew {
                        broker: broker.clone(),
                        api,
                    }),
                    None => Ok(()),
                };
            }
            Err(err) => last_error = format!("{broker}: {err}"),
        }
    }
    Err(Error::KafkaUnreachable {
        brokers: brokers.join(","),
        reason: last_error,
    })
}
// ANCHOR_END: probe

/// One supported range from an ApiVersions response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ApiRange {
    pub api_key: i16,
    pub min: i16,
    pub max: i16,
}

const API_VERSIONS: i16 = 18;
/// Error code UNSUPPORTED_VERSION: the broker does not speak the request's version.
const UNSUPPORTED_VERSION: i16 = 35;
/// The requests the `kafka` crate sends at version 0, by API key.
const V0_APIS: [(i16, &str); 3] = [(0, "Produce"), (1, "Fetch"), (2, "ListOffsets")];

fn probe(broker: &str) -> std::io::Result<Vec<ApiRange>> {
    let addr = broker
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::other("the address resolves to nothing"))?;
    let mut stream = TcpStream::connect_timeout(&addr, PROBE_TIMEOUT)?;
    stream.set_read_timeout(Some(PROBE_TIMEOUT))?;
    stream.set_write_timeout(Some(PROBE_TIMEOUT))?;
    stream.write_all(&api_versions_request(1))?;
    let mut size = [0u8; 4];
    stream.read_exact(&mut size)?;
    let size = i32::from_be_bytes(size);
    if !(0..=1 << 20).contains(&size) {
        return Err(std::io::Error::other(format!(
            "answered with a {size}-byte frame: is this really Kafka?"
        )));
    }
    let mut response = vec![0u8; size as usize];
    stream.read_exact(&mut response)?;
    parse_api_versions(&response)
}

/// An ApiVersions v0 request, framed: size, api key, version, correlation id, client id.
pub(crate) fn api_versions_request(correlation_id: i32) -> Vec<u8> {
    let client_id = b"mq-tutorial-rs";
    let mut request = Vec::new();
    request.extend(API_VERSIONS.to_be_bytes());
    request.extend(0i16.to_be_bytes());
    request.extend(correlation_id.to_be_bytes());
    request.extend((client_id.len() as i16).to_be_bytes());
    request.extend(client_id);
    let mut frame = (request.len() as i32).to_be_bytes().to_vec();
    frame.extend(request);
    frame
}

/// Parses an ApiVersions v0 response body (after the size): correlation id, error code, then
/// an array of (api key, min version, max version).
pub(crate) fn parse_api_versions(body: &[u8]) -> std::io::Result<Vec<ApiRange>> {
    let short = || std::io::Error::other("short ApiVersions response: is this really Kafka?");
    let i16_at = |at: usize| -> std::io::Result<i16> {
        Ok(i16::from_be_bytes(
            body.get(at..at + 2)
                .ok_or_else(short)?
                .try_into()
                .map_err(|_| short())?,
        ))
    };
    let error_code = i16_at(4)?;
    let count = i32::from_be_bytes(
        body.get(6..10)
            .ok_or_else(short)?
            .try_into()
            .map_err(|_| short())?,
    );
    let mut ranges = Vec::new();
    for n in 0..count.max(0) as usize {
        let at = 10 + n * 6;
        ranges.push(ApiRange {
            api_key: i16_at(at)?,
            min: i16_at(at + 2)?,
            max: i16_at(at + 4)?,
        });
    }
    if error_code == UNSUPPORTED_VERSION {
        // The broker does not even speak ApiVersions v0: treat every old API as gone.
        return Ok(V0_APIS
            .iter()
            .map(|&(api_key, _)| ApiRange {
                api_key,
                min: 1,
                max: 1,
            })
            .collect());
    }
    Ok(ranges)
}

/// The first API that the `kafka` crate sends at v0 and this broker no longer accepts.
pub(crate) fn too_new(ranges: &[ApiRange]) -> Option<&'static str> {
    V0_APIS.iter().find_map(
        |&(key, name)| match ranges.iter().find(|r| r.api_key == key) {
            Some(range) if range.min > 0 => Some(name),
            None => Some(name),
            Some(_) => None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(error_code: i16, ranges: &[(i16, i16, i16)]) -> Vec<u8> {
        let mut body = 7i32.to_be_bytes().to_vec();
        body.extend(error_code.to_be_bytes());
        body.extend((ranges.len() as i32).to_be_bytes());
        for &(k, min, max) in ranges {
            body.extend(k.to_be_bytes());
            body.extend(min.to_be_bytes());
            body.extend(max.to_be_bytes());
        }
        body
    }

    #[test]
    fn kafka_3_9_is_accepted() {
        let ranges = parse_api_versions(&response(
            0,
            &[(0, 0, 11), (1, 0, 17), (2, 0, 9), (3, 0, 12)],
        ))
        .expect("a well-formed response");
        assert_eq!(too_new(&ranges), None);
    }

    #[test]
    fn kafka_4_is_refused() {
        let ranges = parse_api_versions(&response(
            0,
            &[(0, 3, 12), (1, 4, 17), (2, 1, 10), (3, 0, 13)],
        ))
        .expect("a well-formed response");
        assert_eq!(too_new(&ranges), Some("Produce"));
        let unsupported = parse_api_versions(&response(UNSUPPORTED_VERSION, &[(18, 3, 4)]))
            .expect("a well-formed response");
        assert!(too_new(&unsupported).is_some());
    }

    #[test]
    fn truncated_response_is_an_error() {
        assert!(parse_api_versions(&[0, 0, 0, 7, 0]).is_err());
        let mut body = response(0, &[(0, 0, 11)]);
        body.truncate(body.len() - 1);
        assert!(parse_api_versions(&body).is_err());
    }

    #[test]
    fn request_frame_has_its_length_first() {
        let frame = api_versions_request(1);
        assert_eq!(
            i32::from_be_bytes(frame[..4].try_into().expect("4 bytes")) as usize,
            frame.len() - 4
        );
        assert_eq!(&frame[4..6], &18i16.to_be_bytes());
    }
}
