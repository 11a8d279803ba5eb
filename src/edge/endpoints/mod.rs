//! The gateway's own endpoints: the intent API and set, static files (through the pipeline), and the operational
//! ones (health, metrics, purge), which the router answers before the pipeline.

pub mod intent_api;
pub mod operations;
pub mod purge;
pub mod static_files;
