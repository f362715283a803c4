//! `OperationMock` answers in order and within limits, on a real local
//! server (feature `mock`, on through the crate's dev-dependency on itself).

use client_runtime::Operation;
use client_runtime::mock::{MockServer, OperationMock, ResponseTemplate};
use serde_json::{Value, json};

static UPDATE: Operation = Operation {
    client: "test-client",
    id: "updateThing",
    method_name: "update_thing",
    method: "PUT",
    path: "/things/{id}",
};

fn update() -> OperationMock<Value, Value, Value> {
    OperationMock::new(&UPDATE)
}

/// The statuses of `calls` PUTs to the mocked operation, in order.
async fn statuses(server: &MockServer, calls: usize) -> Vec<u16> {
    let http = client_runtime::HttpSettings::default()
        .client_builder()
        .build()
        .expect("a client");
    let mut out = Vec::new();
    for _ in 0..calls {
        let response = http
            .put(format!("{}/v1/things/7", server.uri()))
            .json(&json!({"name": "x"}))
            .send()
            .await
            .expect("the local mock server answers");
        out.push(response.status().as_u16());
    }
    out
}

#[tokio::test]
async fn answers_in_order_and_the_last_one_after_that() {
    let server = MockServer::start().await;
    let _mock = update()
        .respond_with(ResponseTemplate::new(503))
        .respond(200, &json!({"id": 7}))
        .mount(&server)
        .await
        .expect("mounts");
    assert_eq!(statuses(&server, 3).await, [503, 200, 200]);
}

#[tokio::test]
async fn times_makes_an_answer_serve_several_calls() {
    let server = MockServer::start().await;
    let _mock = update()
        .respond_error(503, &json!({"message": "busy"}))
        .times(2)
        .respond(200, &json!({"id": 7}))
        .expect(3)
        .mount(&server)
        .await
        .expect("mounts");
    assert_eq!(statuses(&server, 3).await, [503, 503, 200]);
}

#[tokio::test]
async fn a_limited_last_answer_ends_the_script() {
    let server = MockServer::start().await;
    let _mock = update()
        .respond_with(ResponseTemplate::new(503))
        .respond(200, &json!({"id": 7}))
        .times(1)
        .mount(&server)
        .await
        .expect("mounts");
    // wiremock answers 404 when no mock matches.
    assert_eq!(statuses(&server, 3).await, [503, 200, 404]);
}

#[tokio::test]
async fn up_to_n_times_stops_matching() {
    let server = MockServer::start().await;
    let _mock = update()
        .respond(200, &json!({"id": 7}))
        .up_to_n_times(2)
        .mount(&server)
        .await
        .expect("mounts");
    assert_eq!(statuses(&server, 3).await, [200, 200, 404]);
}
