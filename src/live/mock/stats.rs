//! What the mock counts of the calls it answers: by endpoint (calls, statuses, handling time)
//! and errors by kind — the API figures of a load report and `GET /ccsim/1/stats`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use actix_web::http::Method;
use hdrhistogram::Histogram;
use serde::Serialize;

use super::state::MockError;
use crate::model::platform_api::ApiError;

/// The calls the mock answered: by endpoint, with handling time, and errors by kind.
#[derive(Debug, Clone, Default)]
pub struct ApiStats {
    endpoints: HashMap<(Method, Option<Endpoint>), EndpointStats>,
    /// Errors answered by kind: `closed` (writes rejected, BOT-8), `not_found`, `validation`,
    /// `unknown_tag`, `tag_exists`, `outside_window`, `invalid_body`, `unauthorized`,
    /// `forbidden`, `no_route`, `too_large`, `method_not_allowed`, `unsupported_media_type`,
    /// `rate_limited`, `full`.
    pub errors: BTreeMap<String, u64>,
    /// Body fields an endpoint does not know, ignored (as Infobip ignores them) and counted:
    /// `METHOD path field` → times seen.
    pub unknown_fields: BTreeMap<String, u64>,
}

/// The path pattern of a resource, kept on it as data so the stats middleware names the
/// endpoint without matching the path again.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint(pub Arc<str>);

/// One endpoint's running figures: calls, calls by status, handling time (µs).
type EndpointStats = (u64, BTreeMap<u16, u64>, Option<Histogram<u64>>);

/// One endpoint's figures.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EndpointView {
    /// Calls.
    pub calls: u64,
    /// By HTTP status.
    pub by_status: BTreeMap<u16, u64>,
    /// Handling time in the mock, median, µs.
    pub p50_us: u64,
    /// 99th percentile, µs.
    pub p99_us: u64,
}

impl ApiStats {
    /// Records one answered call.
    pub fn call(&mut self, method: Method, endpoint: Option<Endpoint>, status: u16, took_us: u64) {
        let e = self.endpoints.entry((method, endpoint)).or_default();
        e.0 += 1;
        *e.1.entry(status).or_default() += 1;
        e.2.get_or_insert_with(|| {
            Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid bounds")
        })
        .saturating_record(took_us.max(1));
    }

    /// The endpoints' figures.
    pub fn endpoints(&self) -> BTreeMap<String, EndpointView> {
        self.endpoints
            .iter()
            .map(|((method, endpoint), (calls, by_status, h))| {
                let pattern = endpoint.as_ref().map_or("(no route)", |e| &e.0);
                let q = |p: f64| h.as_ref().map_or(0, |h| h.value_at_quantile(p));
                let view = EndpointView {
                    calls: *calls,
                    by_status: by_status.clone(),
                    p50_us: q(0.5),
                    p99_us: q(0.99),
                };
                (format!("{method} {pattern}"), view)
            })
            .collect()
    }
}

/// The name of an error kind in [`ApiStats::errors`].
pub(super) fn error_name(e: &MockError) -> &'static str {
    match e {
        MockError::Api(ApiError::Closed) => "closed",
        MockError::Api(ApiError::NotFound(_)) => "not_found",
        MockError::Api(ApiError::Validation(_)) => "validation",
        MockError::Api(ApiError::UnknownTag(_)) => "unknown_tag",
        MockError::Api(ApiError::TagExists) => "tag_exists",
        MockError::Api(ApiError::OutsideWindow) => "outside_window",
        MockError::InvalidBody | MockError::NegativePageSize => "invalid_body",
        MockError::Unauthorized => "unauthorized",
        MockError::Forbidden => "forbidden",
        MockError::NoRoute => "no_route",
        MockError::TooLarge => "too_large",
        MockError::MethodNotAllowed => "method_not_allowed",
        MockError::UnsupportedMediaType(_) => "unsupported_media_type",
        MockError::RateLimited { .. } => "rate_limited",
        MockError::Full { .. } | MockError::SetUpFull(_) => "full",
    }
}
