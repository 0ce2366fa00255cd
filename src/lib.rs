//! frontdesk: a terminal front desk for small clinics.
//!
//! Layout (DESIGN §7): `domain` holds plain types and number definitions, `store` is the only
//! place with SQL, `app` is the terminal UI, `cli` the subcommands.

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod desk;
pub mod domain;
pub mod sms;
pub mod store;
