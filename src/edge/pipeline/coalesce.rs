//! The coalescing stage: identical cacheable requests in flight at once make one origin call.
//!
//! Only requests the cache stage marked coalescible join a flight (cacheable `GET`s, and intent-keyed `POST`s, on
//! routes with coalescing on; credentialed requests only on routes that share them), keyed by the cache's primary
//! key. The first leads; the others wait, each with a deadline (the route's total timeout). What they get depends
//! on the leader's response:
//! - **shareable** (storable by a shared cache: not `private`, not `no-store`, no `Set-Cookie`, not `Vary: *`):
//!   each waiter whose own values of the response's `Vary` fields equal the leader's gets a copy;
//! - **not shareable**, a `Vary` the waiter does not match, or a leader that went away: each waiter asks the origin
//!   itself (Varnish's "hit-for-miss"), and never sees the leader's response;
//! - **a gateway failure** (the origin unreachable or timed out): every waiter gets the same 502/504 at once.
//!
//! A full in-flight table (`INTENT_EDGE_COALESCE` `maxInFlight`) means no coalescing for that request, not an error.
//!
//! With a shared store, a flight spans instances: on a miss the cache stage looks for the key's entry in Redis and,
//! if none is there, takes the key's lease (one round trip for both). The holder calls the origin (it never waits
//! for a local flight, whose leader may be waiting for it). If another instance holds the lease, this instance's
//! leader (and with it this instance's waiters) waits for that instance's answer in Redis, polling every
//! `INTENT_EDGE_STORE_POLL_MS`; when the lease goes without an answer (not shareable, or the holder died and the
//! lease expired) it asks the origin itself; the holder's 502/504 is every waiter's. The holder's
//! shareable answer is stored in Redis by the cache stage, which gives the lease back in the same step.

use super::flight::{Flight, LeaderGuard, Outcome, SharedFailure, SharedResponse};
use super::{Exchange, Reply, Stage, Target};
use crate::coalesce::{Admission, Coalescer, RequestKey};
use crate::edge::config::GatewayConfig;
use crate::edge::metrics::{self, Counter};
use crate::edge::problem::Problem;
use crate::edge::store::{Polled, Store};
use crate::gateway::http_cache::{CacheOutcome, ForwardCause, Vary};
use crate::gateway::shared::cache_record;
use futures::future::{select, Either};
use http::StatusCode;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

pub struct Coalesce<N> {
    config: &'static GatewayConfig,
    shared: Option<&'static Store>,
    table: RefCell<Coalescer<Rc<Flight>, ()>>,
    pub(super) next: N,
}

enum Role {
    Lead(crate::coalesce::FlightTicket, Rc<Flight>),
    Join(Rc<Flight>),
    Alone,
}

impl<N: Stage> Coalesce<N> {
    pub fn new(config: &'static GatewayConfig, shared: Option<&'static Store>, next: N) -> Self {
        Coalesce {
            config,
            shared,
            table: RefCell::new(Coalescer::new(config.coalesce.clone())),
            next,
        }
    }

    /// Leads a flight: asks the next stage, then tells the waiters what they may have.
    async fn lead(&'static self, exchange: &mut Exchange, guard: LeaderGuard<'static>) -> Reply {
        metrics::count(Counter::Coalescing, &["lead"]);
        // Another instance holds the key's lease: its answer (or failure) is this flight's, as the origin's would be.
        let waited = match (self.shared, exchange.target, exchange.cache_key.clone()) {
            (Some(shared), Target::Proxy(route), Some(key)) if exchange.lease_elsewhere => {
                self.wait_for_holder(shared, route, exchange, &key).await
            }
            _ => None,
        };
        let mut reply = match waited {
            Some(reply) => reply,
            None => self.next.handle(exchange).await,
        };
        let Target::Proxy(route) = exchange.target else {
            guard.finish(Outcome::NotShareable);
            return reply;
        };
        if reply.gateway_error {
            guard.finish(Outcome::Failed(shared_failure(&mut reply).await));
            return reply;
        }
        let assessed = super::cache::assess(route, exchange, &reply);
        let Ok(freshness) = assessed.clone() else {
            reply.storable = Some(assessed);
            guard.finish(Outcome::NotShareable);
            return reply;
        };
        let body = match reply.buffer(self.config.max_response_bytes).await {
            Ok(body) => body,
            Err(problem) => {
                let mut failed = problem.into_reply();
                failed.gateway_error = true;
                guard.finish(Outcome::Failed(shared_failure(&mut failed).await));
                return failed;
            }
        };
        let vary = Vary::of(&reply.headers);
        let origin = reply.origin_timing(exchange.now);
        guard.finish(Outcome::Shared(Rc::new(SharedResponse {
            status: reply.status,
            headers: reply.headers.clone(),
            body,
            freshness: freshness.clone(),
            origin,
            leader_variant: vary.secondary_key(&exchange.headers),
            vary,
        })));
        reply.storable = Some(Ok(freshness));
        reply
    }

    /// Waits for the instance that holds the key's lease in the shared store (as the cache stage found). `None`: this
    /// request calls the origin itself (the holder left nothing this request may use, or the store failed); `Some`:
    /// the holder's answer, or its 502/504, or a 504 at the route's total timeout.
    async fn wait_for_holder(
        &'static self,
        shared: &'static Store,
        route: &'static crate::gateway::routes::Route,
        exchange: &mut Exchange,
        key: &str,
    ) -> Option<Reply> {
        metrics::count(Counter::Coalescing, &["join-shared"]);
        let started = std::time::Instant::now();
        // As a waiter in this instance would: the holder's origin call ends within the route's total timeout.
        let deadline = route.timeouts.total + Duration::from_secs(1);
        loop {
            spin_sdk::time::sleep(shared.config.poll_interval).await;
            if started.elapsed() >= deadline {
                metrics::count(Counter::Coalescing, &["waiter-timeout"]);
                return Some(waiter_timeout(exchange, deadline));
            }
            match shared.poll(key).await {
                Ok(Polled::Ready(record)) => {
                    match super::cache::reply_from_record(shared, route, exchange, key, record)
                        .await
                    {
                        Some(reply) => return Some(reply),
                        None => {
                            // Stored for another variant (Vary), or not usable here: ask the origin.
                            metrics::count(Counter::Coalescing, &["hit-for-miss-shared"]);
                            return None;
                        }
                    }
                }
                Ok(Polled::Failed(record)) => {
                    let failure = cache_record::decode(record)
                        .ok()
                        .and_then(|(head, body)| Some((head.response_parts().ok()?, body)));
                    let ((status, headers), body) = failure?;
                    let mut reply = Reply::full(status, headers, body);
                    reply.gateway_error = true;
                    reply.collapsed = true;
                    return Some(reply);
                }
                Ok(Polled::Held) => {}
                Ok(Polled::Gone) => {
                    metrics::count(Counter::Coalescing, &["hit-for-miss-shared"]);
                    return None;
                }
                Err(_) => {
                    metrics::count(Counter::StoreFallbacks, &["coalesce", "origin"]);
                    return None;
                }
            }
        }
    }

    /// Waits for a flight, within the route's total timeout.
    async fn join(
        &'static self,
        exchange: &mut Exchange,
        flight: Rc<Flight>,
        deadline: Duration,
    ) -> Reply {
        metrics::count(Counter::Coalescing, &["join"]);
        let waited = select(
            Box::pin(flight.wait()),
            Box::pin(spin_sdk::time::sleep(deadline)),
        )
        .await;
        let outcome = match waited {
            Either::Left((outcome, _)) => outcome,
            Either::Right(_) => {
                metrics::count(Counter::Coalescing, &["waiter-timeout"]);
                return waiter_timeout(exchange, deadline);
            }
        };
        match outcome {
            Outcome::Shared(shared)
                if shared.vary.secondary_key(&exchange.headers) == shared.leader_variant =>
            {
                let mut reply =
                    Reply::full(shared.status, shared.headers.clone(), shared.body.clone());
                reply.origin = Some(shared.origin);
                reply.collapsed = true;
                reply.storable = Some(Ok(shared.freshness.clone()));
                reply
            }
            Outcome::Failed(failure) => {
                let mut reply = Reply::full(
                    failure.status,
                    failure.headers.clone(),
                    failure.body.clone(),
                );
                reply.gateway_error = true;
                reply.collapsed = true;
                reply
            }
            Outcome::Shared(_) | Outcome::NotShareable | Outcome::Abandoned => {
                // The leader's response was not for this request: ask the origin ourselves.
                metrics::count(Counter::Coalescing, &["hit-for-miss"]);
                exchange.coalescible = false;
                let mut reply = self.next.handle(exchange).await;
                if reply.cache.is_none() {
                    reply.cache = Some(CacheOutcome::Forwarded {
                        cause: ForwardCause::UriMiss,
                        stored: false,
                    });
                }
                reply
            }
        }
    }

    /// In-flight flights now, for `/metrics`.
    pub fn in_flight(&self) -> usize {
        self.table.borrow().in_flight()
    }
}

/// The 504 of a waiter whose flight got no answer within `deadline`.
fn waiter_timeout(exchange: &Exchange, deadline: Duration) -> Reply {
    let mut reply = Problem::new(
        StatusCode::GATEWAY_TIMEOUT,
        "origin-timeout",
        "Origin timed out",
        format!(
            "an identical request in flight got no answer within {} ms",
            deadline.as_millis()
        ),
    )
    .for_path(&exchange.path)
    .into_reply();
    reply.gateway_error = true;
    reply
}

/// A gateway failure (a 502/504 problem) as every waiter of the flight will get it.
async fn shared_failure(reply: &mut Reply) -> Rc<SharedFailure> {
    // A problem's body is in memory: buffering cannot fail or exceed anything.
    let body = reply.buffer(usize::MAX).await.unwrap_or_default();
    Rc::new(SharedFailure {
        status: reply.status,
        headers: reply.headers.clone(),
        body,
    })
}

impl<N: Stage> Stage for Coalesce<N> {
    async fn handle(&'static self, exchange: &mut Exchange) -> Reply {
        let (Some(key), true, Target::Proxy(route)) = (
            exchange.cache_key.clone(),
            exchange.coalescible,
            exchange.target,
        ) else {
            return self.next.handle(exchange).await;
        };
        let role = {
            let mut table = self.table.borrow_mut();
            match table.begin(&RequestKey::from_canonical(key), exchange.now, |_| {
                Rc::new(Flight::default())
            }) {
                Ok(Admission::Lead(ticket, flight)) => Role::Lead(ticket, Rc::clone(flight)),
                Ok(Admission::Join(flight)) => Role::Join(Rc::clone(flight)),
                // The gateway keeps no replay window (windowMs is 0): nothing to replay.
                Ok(Admission::Replay(())) | Err(_) => Role::Alone,
            }
        };
        match role {
            Role::Lead(ticket, flight) => {
                let guard = LeaderGuard::new(flight, ticket, &self.table, exchange.now);
                self.lead(exchange, guard).await
            }
            Role::Join(_) if exchange.lease.is_some() => {
                // This request holds the key's lease across instances: a local leader may be waiting for it, so it
                // never waits for them; it calls the origin and its answer goes to the shared store.
                metrics::count(Counter::Coalescing, &["lease-holder"]);
                self.next.handle(exchange).await
            }
            Role::Join(flight) => {
                self.join(
                    exchange,
                    flight,
                    route.timeouts.total + Duration::from_secs(1),
                )
                .await
            }
            Role::Alone => {
                metrics::count(Counter::Coalescing, &["table-full"]);
                self.next.handle(exchange).await
            }
        }
    }
}
