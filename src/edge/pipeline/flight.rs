//! One origin call shared by coalesced requests, across component-model tasks.
//!
//! Each HTTP request is its own component-model task, and a Rust `Waker` cannot wake another task here (that needs
//! wit-bindgen's `inter-task-wakeup`, which traps under Wasmtime 48). So a waiter parks on a component-model
//! `stream<u8>` whose writable end the flight keeps (intra-component streams are allowed for numeric payloads):
//! completing the flight stores the outcome and drops every writable end, the runtime wakes each waiter at the end
//! of its stream, and the waiter reads the outcome from the shared cell.
//!
//! The leader holds a [`LeaderGuard`]. If the leader's task is dropped before the origin answers (its client went
//! away), the guard completes the flight as [`Outcome::Abandoned`] and frees the key: waiters are answered (they
//! go to the origin themselves), never stranded.

use super::OriginTiming;
use crate::coalesce::{Coalescer, FlightTicket};
use crate::gateway::http_cache::{Freshness, Vary};
use crate::time::Timestamp;
use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use spin_sdk::wasip3::wit_stream;
use spin_sdk::wit_bindgen::StreamWriter;
use std::cell::RefCell;
use std::rc::Rc;

/// A response every waiter may be given: storable by a shared cache (so meant for anyone who asks the same).
#[derive(Debug)]
pub struct SharedResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub freshness: Freshness,
    pub origin: OriginTiming,
    /// The response's `Vary`, and the leader's values of those fields: a waiter gets the response only if its own
    /// values are the same.
    pub vary: Vary,
    pub leader_variant: Option<String>,
}

/// A failure every waiter gets too (the origin is down or timed out): status, headers, body of the problem.
#[derive(Debug)]
pub struct SharedFailure {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// How a flight ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    Shared(Rc<SharedResponse>),
    /// The response was only for the leader (`private`, `no-store`, `Set-Cookie`, …): each waiter asks the origin
    /// itself.
    NotShareable,
    Failed(Rc<SharedFailure>),
    /// The leader went away before the origin answered: each waiter asks the origin itself.
    Abandoned,
}

/// The shared state of one flight.
#[derive(Default)]
pub struct Flight {
    outcome: RefCell<Option<Outcome>>,
    wake: RefCell<Vec<StreamWriter<u8>>>,
}

impl Flight {
    fn complete(&self, outcome: Outcome) {
        *self.outcome.borrow_mut() = Some(outcome);
        // Dropping a writable end ends its stream: that is the wake-up.
        let parked = std::mem::take(&mut *self.wake.borrow_mut());
        drop(parked);
    }

    /// Waits for the flight's outcome (immediately if it is already known).
    pub async fn wait(&self) -> Outcome {
        if let Some(outcome) = self.outcome.borrow().clone() {
            return outcome;
        }
        let (writer, mut reader) = wit_stream::new::<u8>();
        self.wake.borrow_mut().push(writer);
        while reader.next().await.is_some() {}
        self.outcome.borrow().clone().unwrap_or(Outcome::Abandoned)
    }
}

/// Held by the leading request; completes the flight exactly once, even if the leader is dropped.
pub struct LeaderGuard<'a> {
    flight: Rc<Flight>,
    ticket: Option<FlightTicket>,
    table: &'a RefCell<Coalescer<Rc<Flight>, ()>>,
    now: Timestamp,
}

impl<'a> LeaderGuard<'a> {
    pub fn new(
        flight: Rc<Flight>,
        ticket: FlightTicket,
        table: &'a RefCell<Coalescer<Rc<Flight>, ()>>,
        now: Timestamp,
    ) -> Self {
        LeaderGuard {
            flight,
            ticket: Some(ticket),
            table,
            now,
        }
    }

    /// Publishes the outcome to every waiter and frees the key.
    pub fn finish(mut self, outcome: Outcome) {
        self.settle(outcome);
    }

    fn settle(&mut self, outcome: Outcome) {
        if let Some(ticket) = self.ticket.take() {
            self.table.borrow_mut().finish(ticket, None, self.now);
            self.flight.complete(outcome);
        }
    }
}

impl Drop for LeaderGuard<'_> {
    fn drop(&mut self) {
        self.settle(Outcome::Abandoned);
    }
}
