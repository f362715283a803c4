//! Client overhead: the same Elastic Path update request sent by the
//! generated client and by hand-written raw reqwest, against the same local
//! server (127.0.0.1) in the same run; N sequentially and N with 32 in flight.
//!
//! Both sides send the same typed body and parse the response into the same
//! generated type, so the difference is the client layer alone.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bench::{ms, quantile};
use elasticpath_client::{Client, auth::BearerAuth, types};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const REQUESTS: usize = 4000;
const IN_FLIGHT: usize = 32;
const ROUNDS: usize = 3;
const ID: &str = "11111111-2222-3333-4444-555555555555";
const REQUEST: &str = r#"{"data": {"id": "11111111-2222-3333-4444-555555555555",
  "type": "subscription_subscriber", "attributes": {"name": "John Doe",
  "email": "john.doe@example.com", "payment_authority": {"type": "elastic_path_payments_stripe",
  "customer_id": "cus_OPfKlxWV3hp9h6", "card_id": "card_8Diw3FQPhxK27WADPVMeXieP"}}}}"#;
const RESPONSE: &str = r#"{"data": {"id": "11111111-2222-3333-4444-555555555555",
  "type": "subscription_subscriber", "attributes": {"account_id": "11111111-2222-3333-4444-555555555555",
  "name": "John Doe", "email": "john.doe@example.com",
  "payment_authority": {"type": "elastic_path_payments_stripe"},
  "created_at": "2017-01-10T11:41:19.244842Z", "updated_at": "2017-01-10T11:41:19.244842Z"},
  "meta": {"owner": "store", "feature_entitlements": ["tag1", "tag2"], "timestamps":
  {"created_at": "2017-01-10T11:41:19.244842Z", "updated_at": "2017-01-10T11:41:19.244842Z"}}}}"#;

#[derive(Clone)]
enum Caller {
    Generated(Client),
    Raw {
        client: reqwest::Client,
        url: String,
    },
}

impl Caller {
    fn name(&self) -> &'static str {
        match self {
            Caller::Generated(_) => "generated",
            Caller::Raw { .. } => "raw reqwest",
        }
    }

    async fn call(&self, body: &types::SubscriberUpdateRequest) {
        match self {
            Caller::Generated(client) => {
                let response = client
                    .update_subscriber()
                    .subscriber_uuid(ID)
                    .body(body.clone())
                    .send()
                    .await
                    .expect("the generated client succeeds");
                std::hint::black_box(response.into_inner());
            }
            Caller::Raw { client, url } => {
                let response = client
                    .put(url)
                    .bearer_auth("bench-token")
                    .header(reqwest::header::ACCEPT, "application/json")
                    .header(reqwest::header::USER_AGENT, "raw-reqwest/bench")
                    .json(body)
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status)
                    .expect("raw reqwest succeeds");
                let bytes = response.bytes().await.expect("a body");
                let parsed: types::SubscriberResponse =
                    serde_json::from_slice(&bytes).expect("the response parses");
                std::hint::black_box(parsed);
            }
        }
    }
}

/// Per-request latencies and the wall time of the whole batch.
struct Batch {
    latencies: Vec<Duration>,
    elapsed: Duration,
}

async fn run(
    caller: &Caller,
    body: &Arc<types::SubscriberUpdateRequest>,
    in_flight: usize,
) -> Batch {
    let start = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..in_flight {
        let caller = caller.clone();
        let body = Arc::clone(body);
        workers.spawn(async move {
            let mut latencies = Vec::with_capacity(REQUESTS / in_flight);
            for _ in 0..REQUESTS / in_flight {
                let sent = Instant::now();
                caller.call(&body).await;
                latencies.push(sent.elapsed());
            }
            latencies
        });
    }
    let mut latencies = Vec::with_capacity(REQUESTS);
    while let Some(worker) = workers.join_next().await {
        latencies.extend(worker.expect("a worker finishes"));
    }
    let elapsed = start.elapsed();
    latencies.sort_unstable();
    Batch { latencies, elapsed }
}

#[tokio::main]
async fn main() {
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("/subscriptions/subscribers/{ID}")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(RESPONSE, "application/json"))
        .mount(&server)
        .await;
    let body = Arc::new(serde_json::from_str(REQUEST).expect("the request example parses"));
    let generated = Caller::Generated(
        Client::builder()
            .base_url(server.uri())
            .bearer_auth(BearerAuth::new("bench-token"))
            .build()
            .expect("the client builds"),
    );
    let raw = Caller::Raw {
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .expect("reqwest builds"),
        url: format!("{}/subscriptions/subscribers/{ID}", server.uri()),
    };

    println!(
        "## Client overhead: {REQUESTS} PUT requests per batch, best of {ROUNDS} rounds, order alternating\n"
    );
    println!("| mode | client | requests/s | p50 (ms) | p99 (ms) |");
    println!("|---|---|---:|---:|---:|");
    for (mode, in_flight) in [("sequential", 1), ("32 in flight", IN_FLIGHT)] {
        // Warm both connection pools before measuring.
        run(&generated, &body, in_flight).await;
        run(&raw, &body, in_flight).await;
        let mut best: Vec<Option<Batch>> = vec![None, None];
        for round in 0..ROUNDS {
            let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
            for index in order {
                let caller = [&generated, &raw][index];
                let batch = run(caller, &body, in_flight).await;
                if best[index]
                    .as_ref()
                    .is_none_or(|b| batch.elapsed < b.elapsed)
                {
                    best[index] = Some(batch);
                }
            }
        }
        let mut throughput = [0.0; 2];
        for (index, caller) in [&generated, &raw].into_iter().enumerate() {
            let batch = best[index].as_ref().expect("at least one round");
            throughput[index] = REQUESTS as f64 / batch.elapsed.as_secs_f64();
            println!(
                "| {mode} | {} | {:.0} | {} | {} |",
                caller.name(),
                throughput[index],
                ms(quantile(&batch.latencies, 0.5)),
                ms(quantile(&batch.latencies, 0.99))
            );
        }
        println!(
            "| {mode} | **generated / raw throughput** | **{:.3}** | | |",
            throughput[0] / throughput[1]
        );
    }
}
