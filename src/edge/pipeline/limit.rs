//! The limit stage: one GCRA decision per request, by the route's policy (or the gateway's default), keyed by what
//! the policy names: the trusted client address, an API key (digested), the matched intent, or client and intent.
//! Every answer carries `RateLimit-Policy` / `RateLimit`; a denial is a 429 problem with `Retry-After` that names
//! the quota, never the key.
//!
//! Each scope (a route, or the API endpoints) has its own limiters, built on first use; on an intent route, an intent
//! with its own quotas (`byIntent`) has its own limiter too. Requests without a trusted identity share one bucket
//! or are refused, as configured.
//!
//! With a shared store (`INTENT_EDGE_STORE=redis://…`) each decision is made in Redis, atomically for all quotas
//! and in one round trip, so a limit holds across every instance and node. A denied key is then answered from this
//! instance's deny cache until its retry time, without asking Redis again (GCRA never lets a denied request through
//! earlier than its retry time, whoever else spends from the key meanwhile). When Redis cannot decide, the request
//! follows `INTENT_EDGE_STORE_ON_ERROR`: the instance's own limiter (`local`), allowed (`open`) or 503 (`closed`).

use super::{Exchange, RateLimitFields, Reply, Stage, Target};
use crate::edge::config::{GatewayConfig, UnidentifiedPolicy};
use crate::edge::metrics::{self, Counter};
use crate::edge::problem::Problem;
use crate::edge::store::{FaultPolicy, Store};
use crate::gateway::http_cache::hex16;
use crate::gateway::identity::api_key;
use crate::gateway::routes::{LimitKey, LimitPolicy};
use crate::ratelimit::{
    ratelimit_header_fields, retry_after_seconds, Brief, DenyReason, GcraParams, LimiterConfig,
    QuotaBrief, RateLimiter,
};
use crate::time::Timestamp;
use http::{HeaderName, HeaderValue, StatusCode};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

/// The key of requests that have no trusted identity, under [`UnidentifiedPolicy::Shared`].
const UNIDENTIFIED_KEY: &str = "unidentified";

/// Longest intent id used in a key as is (longer ids are digested).
const MAX_INTENT_KEY_BYTES: usize = 128;

/// Most denied keys an instance remembers (beyond it, the memory is cleared: the keys are asked about again).
const MAX_DENIED_KEYS: usize = 10_000;

struct ScopedLimiter {
    limiter: RateLimiter,
    /// The quotas' GCRA parameters (for decisions made in the shared store).
    params: Vec<GcraParams>,
    /// The scope's name in the shared store: the scope and a digest of its quotas, so a changed configuration starts
    /// from fresh state instead of reading old arrival times with new windows.
    shared_scope: String,
    /// `RateLimit-Policy`, rendered once (it depends on the configuration only).
    policy: HeaderValue,
    /// Each quota's state after the last decision (reused: a decision allocates nothing).
    quotas: Vec<QuotaBrief>,
}

impl ScopedLimiter {
    fn new(config: &LimiterConfig) -> Self {
        let limiter =
            RateLimiter::new(config.clone()).expect("limiter configs are validated when read");
        let policy = HeaderValue::try_from(limiter.policy_header())
            .expect("quota names are validated to be sf-string safe");
        let quotas = vec![QuotaBrief::default(); limiter.quota_count()];
        ScopedLimiter {
            params: limiter.gcra_params(),
            shared_scope: String::new(),
            limiter,
            policy,
            quotas,
        }
    }

    /// The `RateLimit` value of a decision whose quotas are `quotas`.
    fn state_field_of(&self, quotas: &[QuotaBrief]) -> HeaderValue {
        let items = self
            .limiter
            .quota_names()
            .zip(quotas)
            .map(|(name, q)| (name, q.remaining, q.reset));
        HeaderValue::try_from(ratelimit_header_fields(items)).expect("numbers and validated names")
    }

    /// The names of the quotas that refused a decision.
    fn exhausted_of(&self, quotas: &[QuotaBrief]) -> Vec<&str> {
        self.limiter
            .quota_names()
            .zip(quotas)
            .filter(|(_, q)| !q.allowed)
            .map(|(name, _)| name)
            .collect()
    }

    /// The response's fields and the 429's detail for a decision.
    fn answer(&self, brief: &Brief, quotas: &[QuotaBrief]) -> (RateLimitFields, Option<String>) {
        let retry = retry_after_seconds(brief);
        // A key table full of active keys refuses before any quota is asked: the quotas' own state (untouched, full)
        // would tell the client to retry at once. What it may do is what `Retry-After` says: nothing until then.
        let shown: std::borrow::Cow<[QuotaBrief]> =
            if brief.reason == Some(DenyReason::KeyTableFull) {
                quotas
                    .iter()
                    .map(|q| QuotaBrief {
                        remaining: 0,
                        reset: brief.retry_after.max(q.reset),
                        allowed: false,
                    })
                    .collect()
            } else {
                quotas.into()
            };
        let fields = RateLimitFields {
            policy: self.policy.clone(),
            state: self.state_field_of(&shown),
            retry_after: retry.map(HeaderValue::from),
        };
        let denial = match brief.reason {
            None => None,
            Some(DenyReason::KeyTableFull) => {
                Some("too many distinct clients are active at once; retry later".to_owned())
            }
            Some(_) => Some(format!(
                "this client exceeded the quota {}; retry in {} s",
                self.exhausted_of(quotas).join(", "),
                retry.map_or_else(|| "?".to_owned(), |s| s.to_string())
            )),
        };
        (fields, denial)
    }
}

/// A key the shared store denied: until when, and its quotas then.
struct Denied {
    decided_at: Timestamp,
    until: Timestamp,
    quotas: Vec<QuotaBrief>,
}

impl Denied {
    /// The denial as it stands at `now` (before `until`): each quota's backlog shrunk by the time passed.
    fn at(&self, now: Timestamp, params: &[GcraParams]) -> (Brief, Vec<QuotaBrief>) {
        let elapsed =
            Duration::from_nanos(now.as_nanos().saturating_sub(self.decided_at.as_nanos()));
        let quotas: Vec<QuotaBrief> = self
            .quotas
            .iter()
            .zip(params)
            .map(|(q, p)| p.state(q.reset.saturating_sub(elapsed), q.allowed))
            .collect();
        let retry_after =
            Duration::from_nanos(self.until.as_nanos().saturating_sub(now.as_nanos()));
        let brief = Brief::from_quotas(Some(DenyReason::QuotaExhausted), retry_after, &quotas);
        (brief, quotas)
    }
}

/// The instance's limiters by scope: a handful (one per route, one per intent with its own quotas), so a list
/// searched by the scope name's address first (names are interned or literals) is the cheapest map.
#[derive(Default)]
struct Limiters(Vec<(&'static str, ScopedLimiter)>);

impl Limiters {
    fn get_or_insert(&mut self, scope: &'static str, config: &LimiterConfig) -> &mut ScopedLimiter {
        let found = self
            .0
            .iter()
            .position(|(name, _)| std::ptr::eq(name.as_ptr(), scope.as_ptr()) || *name == scope);
        let index = found.unwrap_or_else(|| {
            self.0.push((scope, ScopedLimiter::new(config)));
            self.0.len() - 1
        });
        &mut self.0[index].1
    }
}

pub struct Limit<N> {
    config: &'static GatewayConfig,
    /// The shared store, when limits are shared.
    shared: Option<&'static Store>,
    /// Keys the shared store denied, by scope and key, until their retry time.
    denied: RefCell<HashMap<(&'static str, String), Denied>>,
    /// The policy of the intent API, the intent-set file and static files.
    api_policy: LimitPolicy,
    /// Per scope (target name, or `target/intent`), its limiter.
    limiters: RefCell<Limiters>,
    pub(super) next: N,
}

impl<N: Stage> Limit<N> {
    pub fn new(config: &'static GatewayConfig, shared: Option<&'static Store>, next: N) -> Self {
        Limit {
            config,
            shared,
            denied: RefCell::new(HashMap::new()),
            api_policy: LimitPolicy {
                key: LimitKey::Client,
                api_key_header: HeaderName::from_static("x-api-key"),
                limiter: config.limiter.clone(),
                by_intent: Default::default(),
            },
            limiters: RefCell::new(Limiters::default()),
            next,
        }
    }

    fn policy(&'static self, target: Target) -> Option<&'static LimitPolicy> {
        match target {
            Target::Proxy(route) => route.limit.as_ref(),
            Target::IntentApi | Target::IntentSet | Target::Static => Some(&self.api_policy),
            Target::Purge => None,
        }
    }

    /// Decides one request for `key` in `scope` with this instance's limiter: the response's rate-limit fields, and
    /// for a denial the 429's detail (naming the exhausted quotas, never the key).
    fn decide(
        &self,
        scope: &'static str,
        config: &LimiterConfig,
        key: &str,
        exchange: &Exchange,
    ) -> (RateLimitFields, Option<String>) {
        let mut limiters = self.limiters.borrow_mut();
        let scoped = limiters.get_or_insert(scope, config);
        let (brief, _) = scoped
            .limiter
            .check_brief(key, 1, exchange.now, &mut scoped.quotas);
        count_decision(scope, &brief);
        scoped.answer(&brief, &scoped.quotas)
    }

    /// Decides one request in the shared store (or from the deny cache); on a fault, as `INTENT_EDGE_STORE_ON_ERROR`
    /// says. `None`: answered without rate-limit fields (`open`); `Err`: the 503 of `closed`.
    async fn decide_shared(
        &self,
        store: &'static Store,
        scope: &'static str,
        config: &LimiterConfig,
        key: &str,
        exchange: &Exchange,
    ) -> Result<Option<(RateLimitFields, Option<String>)>, Problem> {
        let now = exchange.now;
        let (params, mut quotas, shared_scope) = {
            let mut limiters = self.limiters.borrow_mut();
            let scoped = limiters.get_or_insert(scope, config);
            let lookup = (scope, key.to_owned());
            if let Some(denied) = self.denied.borrow().get(&lookup) {
                if now < denied.until {
                    let (brief, quotas) = denied.at(now, &scoped.params);
                    metrics::count(Counter::RateLimitDecisions, &[scope, "quota-remembered"]);
                    return Ok(Some(scoped.answer(&brief, &quotas)));
                }
            }
            if scoped.shared_scope.is_empty() {
                let quotas: Vec<String> = scoped
                    .params
                    .iter()
                    .map(|p| format!("{}/{}/{}", p.interval_nanos, p.tolerance_nanos, p.burst))
                    .collect();
                let digest = Sha256::digest(quotas.join(",").as_bytes());
                scoped.shared_scope = format!("{scope}@{}", hex16(&digest));
            }
            (
                scoped.params.clone(),
                vec![QuotaBrief::default(); scoped.params.len()],
                scoped.shared_scope.clone(),
            )
        };
        match store.limit(&shared_scope, key, &params, &mut quotas).await {
            Ok(brief) => {
                count_decision(scope, &brief);
                let mut denied = self.denied.borrow_mut();
                denied.remove(&(scope, key.to_owned()));
                if !brief.allowed && brief.retry_after != Duration::MAX {
                    if denied.len() >= MAX_DENIED_KEYS {
                        denied.clear();
                    }
                    let until = Timestamp::from_nanos(
                        now.as_nanos()
                            .saturating_add(brief.retry_after.as_nanos() as u64),
                    );
                    denied.insert(
                        (scope, key.to_owned()),
                        Denied {
                            decided_at: now,
                            until,
                            quotas: quotas.clone(),
                        },
                    );
                }
                let mut limiters = self.limiters.borrow_mut();
                let scoped = limiters.get_or_insert(scope, config);
                Ok(Some(scoped.answer(&brief, &quotas)))
            }
            Err(_) => match store.config.on_error {
                FaultPolicy::Local => {
                    metrics::count(Counter::StoreFallbacks, &["limit", "local"]);
                    Ok(Some(self.decide(scope, config, key, exchange)))
                }
                FaultPolicy::Open => {
                    metrics::count(Counter::StoreFallbacks, &["limit", "open"]);
                    Ok(None)
                }
                FaultPolicy::Closed => {
                    metrics::count(Counter::StoreFallbacks, &["limit", "closed"]);
                    Err(Problem::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "limiter-unavailable",
                        "Rate limiter unavailable",
                        "the shared rate limiter cannot be reached and this gateway refuses requests it cannot limit",
                    )
                    .for_path(&exchange.path))
                }
            },
        }
    }

    /// The limiter key of `exchange` under `policy`, or the problem to answer (unidentified, `reject`).
    fn key<'e>(
        &self,
        policy: &LimitPolicy,
        exchange: &'e Exchange,
    ) -> Result<Cow<'e, str>, Problem> {
        let client = || match &exchange.client {
            Ok(key) => Ok(Cow::Borrowed(key.as_str())),
            Err(reason) => {
                metrics::count(Counter::Unidentified, &[reason.as_str()]);
                match self.config.unidentified {
                    UnidentifiedPolicy::Shared => Ok(Cow::Borrowed(UNIDENTIFIED_KEY)),
                    UnidentifiedPolicy::Reject => Err(Problem::new(
                        StatusCode::FORBIDDEN,
                        "client-unidentified",
                        "Client not identified",
                        format!("this gateway only serves identified clients: {reason}"),
                    )
                    .for_path(&exchange.path)),
                }
            }
        };
        let intent = || {
            let id = exchange
                .intent
                .as_ref()
                .and_then(|i| i.id.as_deref())
                .unwrap_or("");
            if id.len() > MAX_INTENT_KEY_BYTES {
                format!("intent#{}", hex16(&Sha256::digest(id.as_bytes())))
            } else {
                format!("intent:{id}")
            }
        };
        Ok(match policy.key {
            LimitKey::Client => client()?,
            LimitKey::ApiKey => match exchange.headers.get(&policy.api_key_header) {
                Some(value) if !value.is_empty() => Cow::Owned(api_key(value.as_bytes())),
                _ => client()?,
            },
            LimitKey::Intent => Cow::Owned(intent()),
            LimitKey::ClientIntent => Cow::Owned(format!("{}|{}", client()?, intent())),
        })
    }
}

impl<N: Stage> Stage for Limit<N> {
    async fn handle(&'static self, exchange: &mut Exchange) -> Reply {
        let Some(policy) = self.policy(exchange.target) else {
            return self.next.handle(exchange).await;
        };
        let key = match self.key(policy, exchange) {
            Ok(key) => key,
            Err(problem) => return problem.into_reply(),
        };
        // An intent with its own quotas is limited by them instead of the route's.
        let intent_id = exchange.intent.as_ref().and_then(|i| i.id.as_deref());
        let (scope, config) = match intent_id.and_then(|id| policy.by_intent.get_key_value(id)) {
            Some((id, config)) => (
                metrics::intern(&format!("{}/{id}", exchange.target.name())),
                config,
            ),
            None => (exchange.target.name(), &policy.limiter),
        };
        let decided = match self.shared {
            None => Some(self.decide(scope, config, &key, exchange)),
            Some(store) => match self
                .decide_shared(store, scope, config, &key, exchange)
                .await
            {
                Ok(decided) => decided,
                Err(problem) => return problem.into_reply(),
            },
        };
        let Some((fields, denial)) = decided else {
            return self.next.handle(exchange).await;
        };
        exchange.rate_limit = Some(fields);
        let Some(detail) = denial else {
            return self.next.handle(exchange).await;
        };
        let mut reply = Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "Too many requests",
            detail,
        )
        .for_path(&exchange.path)
        .into_reply();
        reply.cache = None;
        reply
    }
}

fn count_decision(scope: &'static str, brief: &Brief) {
    let result = match brief.reason {
        None => "allowed",
        Some(DenyReason::QuotaExhausted) => "quota",
        Some(DenyReason::KeyTableFull) => "table-full",
        Some(DenyReason::CostExceedsBurst) => "cost",
    };
    metrics::count(Counter::RateLimitDecisions, &[scope, result]);
}

/// Gauges of every limiter of this instance, for `/metrics`.
impl<N> Limit<N> {
    pub fn render_gauges(&self, out: &mut String) {
        let limiters = self.limiters.borrow();
        let mut keys = Vec::new();
        let mut table_full = Vec::new();
        let mut forgotten = Vec::new();
        for (scope, scoped) in limiters.0.iter() {
            let stats = scoped.limiter.stats();
            let label = format!("{{scope=\"{}\"}}", metrics::escape_label(scope));
            keys.push((label.clone(), stats.keys as f64));
            table_full.push((label.clone(), stats.table_full as f64));
            forgotten.push((label, stats.forgotten_keys as f64));
        }
        metrics::gauge(
            out,
            "intent_edge_ratelimit_keys",
            "Keys tracked by each limiter now.",
            &keys,
        );
        metrics::gauge(
            out,
            "intent_edge_ratelimit_table_full",
            "Times a new key met a key table full of active keys (handled by the limiter's onFull policy).",
            &table_full,
        );
        metrics::gauge(
            out,
            "intent_edge_ratelimit_forgotten_keys",
            "Idle keys forgotten to make room.",
            &forgotten,
        );
    }
}
