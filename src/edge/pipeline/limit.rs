//! The limit stage: one GCRA decision per request, by the route's policy (or the gateway's default), keyed by what
//! the policy names: the trusted client address, an API key (digested), the matched intent, or client and intent.
//! Every answer carries `RateLimit-Policy` / `RateLimit`; a denial is a 429 problem with `Retry-After` that names
//! the quota, never the key.
//!
//! Each scope (a route, or the API endpoints) has its own limiters, built on first use; on an intent route, an intent
//! with its own quotas (`byIntent`) has its own limiter too. Requests without a trusted identity share one bucket
//! or are refused, as configured.

use super::{Exchange, RateLimitFields, Reply, Stage, Target};
use crate::edge::config::{GatewayConfig, UnidentifiedPolicy};
use crate::edge::metrics::{self, Counter};
use crate::edge::problem::Problem;
use crate::gateway::http_cache::hex16;
use crate::gateway::identity::api_key;
use crate::gateway::routes::{LimitKey, LimitPolicy};
use crate::ratelimit::{
    ratelimit_header_fields, retry_after_seconds, DenyReason, LimiterConfig, QuotaBrief,
    RateLimiter,
};
use http::{HeaderName, HeaderValue, StatusCode};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::cell::RefCell;

/// The key of requests that have no trusted identity, under [`UnidentifiedPolicy::Shared`].
const UNIDENTIFIED_KEY: &str = "unidentified";

/// Longest intent id used in a key as is (longer ids are digested).
const MAX_INTENT_KEY_BYTES: usize = 128;

struct ScopedLimiter {
    limiter: RateLimiter,
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
            limiter,
            policy,
            quotas,
        }
    }

    /// The `RateLimit` value of the last decision.
    fn state_field(&self) -> HeaderValue {
        let items = self
            .limiter
            .quota_names()
            .zip(&self.quotas)
            .map(|(name, q)| (name, q.remaining, q.reset));
        HeaderValue::try_from(ratelimit_header_fields(items)).expect("numbers and validated names")
    }

    /// The names of the quotas that refused the last decision.
    fn exhausted(&self) -> Vec<&str> {
        self.limiter
            .quota_names()
            .zip(&self.quotas)
            .filter(|(_, q)| !q.allowed)
            .map(|(name, _)| name)
            .collect()
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
    /// The policy of the intent API, the intent-set file and static files.
    api_policy: LimitPolicy,
    /// Per scope (target name, or `target/intent`), its limiter.
    limiters: RefCell<Limiters>,
    pub(super) next: N,
}

impl<N: Stage> Limit<N> {
    pub fn new(config: &'static GatewayConfig, next: N) -> Self {
        Limit {
            config,
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

    /// Decides one request for `key` in `scope`: the response's rate-limit fields, and for a denial the 429's detail
    /// (naming the exhausted quotas, never the key).
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
        let result = match brief.reason {
            None => "allowed",
            Some(DenyReason::QuotaExhausted) => "quota",
            Some(DenyReason::KeyTableFull) => "table-full",
            Some(DenyReason::CostExceedsBurst) => "cost",
        };
        metrics::count(Counter::RateLimitDecisions, &[scope, result]);
        let retry = retry_after_seconds(&brief);
        let fields = RateLimitFields {
            policy: scoped.policy.clone(),
            state: scoped.state_field(),
            retry_after: retry.map(HeaderValue::from),
        };
        let denial = match brief.reason {
            None => None,
            Some(DenyReason::KeyTableFull) => {
                Some("too many distinct clients are active at once; retry later".to_owned())
            }
            Some(_) => Some(format!(
                "this client exceeded the quota {}; retry in {} s",
                scoped.exhausted().join(", "),
                retry.map_or_else(|| "?".to_owned(), |s| s.to_string())
            )),
        };
        (fields, denial)
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
        let (fields, denial) = self.decide(scope, config, &key, exchange);
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
