//! One origin call shared by coalesced requests, across component-model tasks.
//!
//! Each HTTP request is its own component-model task, and a Rust `Waker` cannot wake another task here (that needs
//! wit-bindgen's `inter-task-wakeup`, which traps under Wasmtime 48). So a waiter parks on a component-model
//! `stream<u8>` whose writable end the flight keeps (intra-component streams are allowed for numeric payloads):
//! completing the flight stores the outcome and drops every writable end, the runtime wakes each waiter at the end
//! of its stream, and the waiter reads the outcome from the shared cell.
//!
//! The leader holds a [`LeaderGuard`]. If the leader's task is dropped before the origin answers (the client went
//! away), the guard completes the flight with an error and frees the key: waiters are answered, never stranded,
//! and no second origin call is made for them.

use super::super::state::GatewayState;
use super::BufferedResponse;
use crate::coalesce::FlightTicket;
use spin_sdk::wasip3::wit_stream;
use spin_sdk::wit_bindgen::StreamWriter;
use std::cell::RefCell;
use std::rc::Rc;

/// The origin's answer, or why there is none.
pub type Outcome = Result<Rc<BufferedResponse>, Rc<String>>;

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
        self.outcome.borrow().clone().unwrap_or_else(|| {
            Err(Rc::new(
                "the coalesced request ended without an answer".to_owned(),
            ))
        })
    }
}

/// Held by the leading request; completes the flight exactly once, even if the leader is dropped.
pub struct LeaderGuard {
    pub flight: Rc<Flight>,
    ticket: Option<FlightTicket>,
    state: Rc<GatewayState>,
}

impl LeaderGuard {
    pub fn new(flight: Rc<Flight>, ticket: FlightTicket, state: Rc<GatewayState>) -> Self {
        LeaderGuard {
            flight,
            ticket: Some(ticket),
            state,
        }
    }

    /// Publishes the outcome to every waiter and frees the key.
    pub fn finish(mut self, outcome: Outcome) {
        self.settle(outcome);
    }

    fn settle(&mut self, outcome: Outcome) {
        if let Some(ticket) = self.ticket.take() {
            let now = self.state.now();
            self.state.coalescer.borrow_mut().finish(ticket, None, now);
            self.flight.complete(outcome);
        }
    }
}

impl Drop for LeaderGuard {
    fn drop(&mut self) {
        self.settle(Err(Rc::new(
            "the request this one was coalesced with was cancelled before the origin answered"
                .to_owned(),
        )));
    }
}
