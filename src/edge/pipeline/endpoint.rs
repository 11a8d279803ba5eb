//! The last stage: what answers a request once it passed the limiter, the cache and coalescing — the origin for a
//! proxied route, or the gateway's own endpoints.

use super::{forward, Exchange, Reply, Stage, Target};
use crate::edge::config::GatewayConfig;
use crate::edge::endpoints::{intent_api, static_files};

pub struct Endpoint {
    config: &'static GatewayConfig,
}

impl Endpoint {
    pub fn new(config: &'static GatewayConfig) -> Self {
        Endpoint { config }
    }
}

impl Stage for Endpoint {
    async fn handle(&'static self, exchange: &mut Exchange) -> Reply {
        match exchange.target {
            Target::Proxy(route) => forward::forward(self.config, route, exchange).await,
            Target::IntentApi => intent_api::handle(exchange, self.config).await,
            Target::IntentSet => intent_api::intent_set_file(exchange, self.config),
            Target::Static => static_files::serve(exchange, &self.config.www_dir),
            Target::Purge => crate::edge::problem::not_found(&exchange.path),
        }
    }
}
