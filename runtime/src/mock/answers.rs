//! The answers of one mock, in order, so a test can script "503, then
//! 200": each answer serves its number of calls (`times`; one when another
//! answer follows), and the last serves every call after them unless it is
//! limited too, in which case the mock stops matching once the script has
//! run out (see [`Answers::calls_scripted`]).

use std::sync::atomic::{AtomicU64, Ordering};

use wiremock::{Request, Respond, ResponseTemplate};

/// One answer and how many calls it serves.
#[derive(Debug)]
struct Step {
    response: ResponseTemplate,
    times: Option<u64>,
}

/// A mock's answers; as a wiremock responder, it answers call `n` with the
/// step that covers it.
#[derive(Debug, Default)]
pub(crate) struct Answers {
    steps: Vec<Step>,
    calls: AtomicU64,
}

impl Answers {
    /// Adds an answer after the others.
    pub(crate) fn push(&mut self, response: ResponseTemplate) {
        self.steps.push(Step {
            response,
            times: None,
        });
    }

    /// Makes the last answer (the default `200` when there is none yet)
    /// serve `times` calls.
    pub(crate) fn limit_last(&mut self, times: u64) {
        if self.steps.is_empty() {
            self.push(default_answer());
        }
        if let Some(step) = self.steps.last_mut() {
            step.times = Some(times);
        }
    }

    /// How many calls the answers serve in all, when every one of them is
    /// limited (the mock then matches no more calls than that).
    pub(crate) fn calls_scripted(&self) -> Option<u64> {
        let last = self.steps.last()?;
        last.times?;
        Some(
            self.steps
                .iter()
                .map(|step| step.times.unwrap_or(1))
                .fold(0, u64::saturating_add),
        )
    }

    fn answer(&self, call: u64) -> ResponseTemplate {
        let mut before: u64 = 0;
        for (index, step) in self.steps.iter().enumerate() {
            let last = index + 1 == self.steps.len();
            let serves = step.times.unwrap_or(if last { u64::MAX } else { 1 });
            before = before.saturating_add(serves);
            if call < before || last {
                return step.response.clone();
            }
        }
        default_answer()
    }
}

/// The answer of a mock told nothing: `200` with no body.
fn default_answer() -> ResponseTemplate {
    ResponseTemplate::new(200)
}

impl Respond for Answers {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        self.answer(self.calls.fetch_add(1, Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_script_whose_last_answer_is_limited_ends() {
        let mut answers = Answers::default();
        assert_eq!(answers.calls_scripted(), None);
        answers.push(ResponseTemplate::new(503));
        answers.limit_last(2);
        answers.push(ResponseTemplate::new(429));
        answers.push(ResponseTemplate::new(200));
        assert_eq!(answers.calls_scripted(), None);
        answers.limit_last(3);
        assert_eq!(answers.calls_scripted(), Some(2 + 1 + 3));
    }

    #[test]
    fn times_before_any_answer_limits_the_default_one() {
        let mut answers = Answers::default();
        answers.limit_last(1);
        assert_eq!(answers.calls_scripted(), Some(1));
    }
}
