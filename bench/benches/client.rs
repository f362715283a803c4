//! Client overhead: the same Elastic Path update request sent by the
//! generated client and by hand-written raw reqwest, against the same local
//! server (127.0.0.1) in the same run; N sequentially and N with 32 in flight.
//!
//! Both sides send the same typed body and parse the response into the same
//! generated type, so the difference is the client layer alone; the
//! generated client runs with its default retry policy (on), whose costs
//! on the success path (a clone of each request, reading the body before
//! handing it on, the call's tracing span) are measured with it; a third
//! client, the generated one with retries off, shows what the policy itself
//! costs. Any failure ends the benchmark. The server
//! runs on its own thread and runtime, the clients on another, so the two
//! do not compete for one executor; short batches alternate between the
//! clients and the median batch is reported, so drift hits both alike.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bench::{ms, quantile};
use elasticpath_client::{Client, RetryPolicy, auth::BearerAuth, types};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const REQUESTS: usize = 1024;
const IN_FLIGHT: usize = 32;
const ROUNDS: usize = 15;
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
    /// Shared: the client is large (settings, credentials, retry policy).
    /// The name says whether retries are on.
    Generated(Arc<Client>, &'static str),
    Raw {
        client: reqwest::Client,
        url: String,
    },
}

impl Caller {
    fn name(&self) -> &'static str {
        match self {
            Caller::Generated(_, name) => name,
            Caller::Raw { .. } => "raw reqwest",
        }
    }

    async fn call(&self, body: &types::SubscriberUpdateRequest) {
        match self {
            Caller::Generated(client, _) => {
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

/// Starts the mock server on a thread of its own; returns its base URL.
fn start_server() -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a server runtime");
        runtime.block_on(async {
            let server = MockServer::builder()
                .disable_request_recording()
                .start()
                .await;
            Mock::given(method("PUT"))
                .and(path(format!("/subscriptions/subscribers/{ID}")))
                .respond_with(ResponseTemplate::new(200).set_body_raw(RESPONSE, "application/json"))
                .mount(&server)
                .await;
            sender
                .send(server.uri())
                .expect("the benchmark waits for the URL");
            // Serve until the benchmark process exits.
            std::future::pending::<()>().await;
        });
    });
    receiver.recv().expect("the server starts")
}

fn main() {
    let base_url = start_server();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a client runtime");
    runtime.block_on(measure(base_url));
}

async fn measure(base_url: String) {
    let body = Arc::new(serde_json::from_str(REQUEST).expect("the request example parses"));
    let generated = Caller::Generated(
        Arc::new(
            Client::builder()
                .base_url(&base_url)
                .bearer_auth(BearerAuth::new("bench-token"))
                // The default, stated: retries are on.
                .retry(RetryPolicy::new())
                .build()
                .expect("the client builds"),
        ),
        "generated",
    );
    // The same with retries off: what the retry policy itself costs.
    let off = Caller::Generated(
        Arc::new(
            Client::builder()
                .base_url(&base_url)
                .bearer_auth(BearerAuth::new("bench-token"))
                .retry(RetryPolicy::disabled())
                .build()
                .expect("the client builds"),
        ),
        "generated, retries off",
    );
    let raw = Caller::Raw {
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .expect("reqwest builds"),
        url: format!("{base_url}/subscriptions/subscribers/{ID}"),
    };

    println!(
        "## Client overhead: {ROUNDS} alternating rounds of {REQUESTS} PUT requests per client; median round\n"
    );
    println!("| mode | client | requests/s | p50 (ms) | p99 (ms) |");
    println!("|---|---|---:|---:|---:|");
    for (mode, in_flight) in [("sequential", 1), ("32 in flight", IN_FLIGHT)] {
        // Warm both connection pools before measuring.
        run(&generated, &body, in_flight).await;
        run(&raw, &body, in_flight).await;
        let mut throughputs = [Vec::new(), Vec::new(), Vec::new()];
        let mut latencies = [Vec::new(), Vec::new(), Vec::new()];
        for round in 0..ROUNDS {
            let order = if round % 2 == 0 { [0, 1, 2] } else { [2, 1, 0] };
            for index in order {
                let batch = run([&generated, &raw, &off][index], &body, in_flight).await;
                throughputs[index].push(REQUESTS as f64 / batch.elapsed.as_secs_f64());
                latencies[index].extend(batch.latencies);
            }
        }
        let mut median = [0.0; 3];
        for (index, caller) in [&generated, &raw, &off].into_iter().enumerate() {
            throughputs[index].sort_by(f64::total_cmp);
            median[index] = throughputs[index][ROUNDS / 2];
            latencies[index].sort_unstable();
            println!(
                "| {mode} | {} | {:.0} | {} | {} |",
                caller.name(),
                median[index],
                ms(quantile(&latencies[index], 0.5)),
                ms(quantile(&latencies[index], 0.99))
            );
        }
        println!(
            "| {mode} | **generated / raw throughput** | **{:.3}** | | |",
            median[0] / median[1]
        );
    }
}
