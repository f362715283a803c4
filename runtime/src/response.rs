//! Turning a response into a value or an [`Error`]: what clients generated
//! before [`call`](crate::call) existed do for every status the spec
//! declares (and for the rest). Bodies kept in errors are cut to an
//! excerpt; a body that cannot be read keeps the status.

use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;

use crate::Error;

/// A declared success status: the body parsed into `T`, or
/// [`Error::InvalidResponsePayload`] with the status and an excerpt of the
/// body.
pub async fn decode_success<T: DeserializeOwned, E>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(error) => return Err(Error::from_body(error, status, headers)),
    };
    match serde_json::from_slice(&body) {
        Ok(value) => Ok(ResponseValue::new(value, status, headers)),
        Err(source) => Err(Error::invalid_payload(status, headers, &body, source)),
    }
}

/// A declared error status: [`Error::ErrorResponse`] with the body parsed
/// into `E`, or [`Error::InvalidResponsePayload`] if it does not parse.
pub async fn decode_error<E: DeserializeOwned>(response: reqwest::Response) -> Error<E> {
    match decode_success(response).await {
        Ok(value) => Error::ErrorResponse(value),
        Err(error) => error,
    }
}

/// A status the spec does not declare: [`Error::UnexpectedResponse`] with
/// the status, headers and an excerpt of the body ([`Error::Redirect`] for
/// a redirect that was not followed).
pub async fn undocumented<E>(response: reqwest::Response) -> Error<E> {
    crate::call::unexpected(response).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    async fn respond(status: u16, body: &str) -> reqwest::Response {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&server)
            .await;
        reqwest::get(server.uri()).await.expect("the mock answers")
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Body {
        id: u32,
    }

    #[tokio::test]
    async fn success_parses_or_keeps_status_and_body() {
        let value = decode_success::<Body, ()>(respond(200, r#"{"id": 7}"#).await)
            .await
            .expect("parses");
        assert_eq!(
            (value.status().as_u16(), value.into_inner()),
            (200, Body { id: 7 })
        );

        let error = decode_success::<Body, ()>(respond(201, r#"{"id": "seven"}"#).await)
            .await
            .expect_err("does not parse");
        let Error::InvalidResponsePayload { status, body, .. } = error else {
            panic!("expected InvalidResponsePayload, got {error:?}");
        };
        assert_eq!(
            (status.as_u16(), body.as_str()),
            (201, r#"{"id": "seven"}"#)
        );
    }

    #[tokio::test]
    async fn documented_errors_are_typed_and_others_keep_the_raw_body() {
        let error = decode_error::<Body>(respond(404, r#"{"id": 1}"#).await).await;
        let Error::ErrorResponse(response) = error else {
            panic!("expected ErrorResponse, got {error:?}");
        };
        assert_eq!(
            (response.status().as_u16(), response.into_inner()),
            (404, Body { id: 1 })
        );

        let error = undocumented::<Body>(respond(502, "<html>bad gateway</html>").await).await;
        let Error::UnexpectedResponse { status, body, .. } = error else {
            panic!("expected UnexpectedResponse, got {error:?}");
        };
        assert_eq!(
            (status.as_u16(), body.as_str()),
            (502, "<html>bad gateway</html>")
        );
    }
}
