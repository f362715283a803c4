//! Shared pieces of the benchmarks in `benches/`: timing statistics and
//! synthetic specs. Run them with `cargo bench -p bench`.

use std::time::Duration;

use serde_json::{Value, json};

/// Runs `f` `warmup` times unmeasured, then `runs` times; returns the sorted timings.
pub fn time_runs<R>(warmup: usize, runs: usize, mut f: impl FnMut() -> R) -> Vec<Duration> {
    for _ in 0..warmup {
        std::hint::black_box(f());
    }
    let mut timings: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = std::time::Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    timings.sort_unstable();
    timings
}

/// The `q` quantile (0.0–1.0) of sorted durations, nearest rank.
pub fn quantile(sorted: &[Duration], q: f64) -> Duration {
    assert!(!sorted.is_empty(), "no timings");
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Milliseconds with three decimals, for tables.
pub fn ms(duration: Duration) -> String {
    format!("{:.3}", duration.as_secs_f64() * 1e3)
}

/// An OpenAPI 3.0.3 document with `operations` PATCH operations, each with
/// its own request and response schema of ten fields (strings, integers,
/// numbers, booleans, a date-time, an enum, an array and a nested object).
pub fn synthetic_spec(operations: usize) -> Value {
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    for i in 0..operations {
        let request = format!("Update{i}Request");
        let response = format!("Update{i}Response");
        schemas.insert(request.clone(), ten_field_schema(i, "request"));
        schemas.insert(response.clone(), ten_field_schema(i, "response"));
        paths.insert(
            format!("/things{i}/{{id}}"),
            json!({
                "patch": {
                    "operationId": format!("updateThing{i}"),
                    "summary": format!("Update thing {i}"),
                    "tags": ["things"],
                    "security": [{"bearerAuth": []}],
                    "parameters": [{
                        "name": "id", "in": "path", "required": true, "example": "t-1",
                        "description": "Thing id.", "schema": {"type": "string"}
                    }],
                    "requestBody": {"required": true, "content": {"application/json": {
                        "schema": {"$ref": format!("#/components/schemas/{request}")}
                    }}},
                    "responses": {
                        "200": {"description": "Updated.", "content": {"application/json": {
                            "schema": {"$ref": format!("#/components/schemas/{response}")}
                        }}},
                        "400": {"description": "Invalid.", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/ApiError"}
                        }}}
                    }
                }
            }),
        );
    }
    schemas.insert(
        "ApiError".into(),
        json!({"type": "object", "description": "Error.", "properties": {
            "message": {"type": "string", "description": "What went wrong."}
        }}),
    );
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic", "version": "1.0.0", "description": "Generated for benchmarks."},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas
        }
    })
}

fn ten_field_schema(i: usize, role: &str) -> Value {
    json!({
        "type": "object",
        "description": format!("The {role} of operation {i}."),
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "description": "Name.", "maxLength": 64},
            "note": {"type": "string", "description": "Note."},
            "count": {"type": "integer", "format": "int32", "description": "Count."},
            "total": {"type": "integer", "format": "int64", "description": "Total."},
            "price": {"type": "number", "description": "Price."},
            "active": {"type": "boolean", "description": "Active."},
            "updatedAt": {"type": "string", "format": "date-time", "description": "Updated."},
            "state": {"type": "string", "enum": ["ON", "OFF"], "description": "State."},
            "labels": {"type": "array", "items": {"type": "string"}, "description": "Labels."},
            "owner": {"type": "object", "nullable": true, "description": "Owner.", "properties": {
                "id": {"type": "string", "description": "Owner id."}
            }}
        }
    })
}
