//! Answering MFA challenges ("resume"), over as many rounds as MX asks.
//!
//! Sources: MX's resume endpoint (`PUT /users/{user_guid}/members/{member_guid}/resume`,
//! body `{"member": {"challenges": [{"guid", "value"}]}}`); MX's Nexus
//! "resume aggregation" page: 405 when the member is not CHALLENGED, 400 for
//! invalid answers. A text-a-code challenge takes two rounds (pick the
//! phone, then send the code): after each resume, poll again; a new
//! CHALLENGED is the next round.

use serde::Serialize;

use crate::lifecycle::mfa::Challenge;
use crate::CredentialValue;

/// One answer: the challenge's guid and the end user's value (never
/// printed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    /// The challenge's guid, which the answer names.
    pub guid: String,
    /// The end user's answer: the typed text, or the `value` of the
    /// option picked.
    pub value: CredentialValue,
}

/// The answers of one round, checked against their challenges.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Answers(Vec<Answer>);

/// An answer that cannot be right.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AnswerError {
    /// The value is not one of the challenge's options.
    NotAnOption {
        /// The challenge's guid.
        guid: String,
    },
    /// A free-text answer to a challenge that takes a pick.
    PickRequired {
        /// The challenge's guid.
        guid: String,
    },
}

impl std::fmt::Display for AnswerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The value is the end user's secret: never named.
        match self {
            AnswerError::NotAnOption { guid } => {
                write!(
                    f,
                    "the answer to challenge {guid} is not one of its options"
                )
            }
            AnswerError::PickRequired { guid } => {
                write!(
                    f,
                    "challenge {guid} takes one of its options, not free text"
                )
            }
        }
    }
}

impl std::error::Error for AnswerError {}

#[derive(Serialize)]
struct Body<'a> {
    member: Member<'a>,
}

#[derive(Serialize)]
struct Member<'a> {
    challenges: &'a [Answer],
}

impl Answers {
    /// No answers yet.
    pub fn new() -> Self {
        Answers::default()
    }

    /// A typed answer (TEXT, IMAGE, or a type this crate does not know).
    pub fn text(
        mut self,
        challenge: &Challenge,
        value: impl Into<CredentialValue>,
    ) -> Result<Self, AnswerError> {
        if challenge.choices().is_some() {
            return Err(AnswerError::PickRequired {
                guid: challenge.guid.clone(),
            });
        }
        self.0.push(Answer {
            guid: challenge.guid.clone(),
            value: value.into(),
        });
        Ok(self)
    }

    /// A pick: `value` must be the value of one of the challenge's options
    /// (OPTIONS, IMAGE_OPTIONS).
    pub fn pick(mut self, challenge: &Challenge, value: &str) -> Result<Self, AnswerError> {
        let choices = challenge.choices().unwrap_or_default();
        if !choices.contains(&value) {
            return Err(AnswerError::NotAnOption {
                guid: challenge.guid.clone(),
            });
        }
        self.0.push(Answer {
            guid: challenge.guid.clone(),
            value: value.into(),
        });
        Ok(self)
    }

    /// The answers so far, in the order they were added.
    pub fn as_slice(&self) -> &[Answer] {
        &self.0
    }

    /// The resume body MX documents, as the API's generated request body
    /// type (e.g. Atrium's `MemberResumeRequestBody`).
    pub fn to_body<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        let value = serde_json::to_value(Body {
            member: Member {
                challenges: &self.0,
            },
        })?;
        serde_json::from_value(value)
    }
}

/// Why MX refused a resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResumeRefusal {
    /// 400: the answers are invalid (e.g. a challenge guid is wrong).
    InvalidAnswers,
    /// 405: the member is not CHALLENGED (nothing to answer now).
    NotChallenged,
}

impl ResumeRefusal {
    /// The refusal an error status means.
    pub fn from_status(status: u16) -> Option<Self> {
        match status {
            400 => Some(ResumeRefusal::InvalidAnswers),
            405 => Some(ResumeRefusal::NotChallenged),
            _ => None,
        }
    }

    /// The refusal a resume call's error means (by its HTTP status).
    pub fn from_error(e: &crate::Error) -> Option<Self> {
        Self::from_status(e.status()?.as_u16())
    }
}

/// What a resume did: MX took the answers (the member, RESUMED or
/// aggregating: poll it again), or refused them as MX documents.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ResumeOutcome<M> {
    /// 200/202: the answers were taken; follow the member's status (a new
    /// CHALLENGED is the next round).
    Resumed(M),
    /// 400 or 405, with MX's message.
    Refused {
        /// What MX refused: invalid answers (400) or a member that is not
        /// CHALLENGED (405).
        refusal: ResumeRefusal,
        /// The `message` of MX's error answer, when it has one.
        message: Option<String>,
    },
}

impl<M> ResumeOutcome<M> {
    /// Glue for a generated resume call: its result (`send().await`), with
    /// `member` taking the member out of the answer body. A 400 or 405 is
    /// `Refused`; any other error is returned as is.
    pub fn from_result<T, E: Into<crate::Error>>(
        result: Result<progenitor_client::ResponseValue<T>, E>,
        member: impl FnOnce(T) -> M,
    ) -> Result<Self, crate::Error> {
        match result.map_err(Into::into) {
            Ok(rv) => Ok(ResumeOutcome::Resumed(member(rv.into_inner()))),
            Err(e) => match ResumeRefusal::from_error(&e) {
                Some(refusal) => Ok(ResumeOutcome::Refused {
                    refusal,
                    message: e.api().and_then(|a| a.message.clone()),
                }),
                None => Err(e),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn challenge(v: serde_json::Value) -> Challenge {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn answers_make_the_documented_body_and_never_print_values() {
        let text = challenge(json!({"guid": "CRD-1", "type": "TEXT"}));
        let pick = challenge(json!({"guid": "CRD-2", "type": "OPTIONS",
            "options": [{"label": "a", "value": "opt-a"}, {"label": "b", "value": "opt-b"}]}));
        let answers = Answers::new()
            .text(&text, "correct")
            .unwrap()
            .pick(&pick, "opt-b")
            .unwrap();
        let body: serde_json::Value = answers.to_body().unwrap();
        assert_eq!(
            body,
            json!({"member": {"challenges": [
                {"guid": "CRD-1", "value": "correct"},
                {"guid": "CRD-2", "value": "opt-b"}
            ]}})
        );
        assert!(!format!("{answers:?}").contains("correct"));
    }

    #[test]
    fn a_wrong_kind_of_answer_is_a_typed_error() {
        let pick = challenge(json!({"guid": "CRD-2", "type": "IMAGE_OPTIONS",
            "image_options": [{"value": "1", "data_uri": "data:,"}]}));
        let err = Answers::new().pick(&pick, "secret-guess").unwrap_err();
        assert_eq!(
            err,
            AnswerError::NotAnOption {
                guid: "CRD-2".into()
            }
        );
        assert!(!err.to_string().contains("secret-guess"));
        assert_eq!(
            Answers::new().text(&pick, "x").unwrap_err(),
            AnswerError::PickRequired {
                guid: "CRD-2".into()
            }
        );
        let text = challenge(json!({"guid": "CRD-1", "type": "TEXT"}));
        assert!(Answers::new().pick(&text, "x").is_err());
    }

    #[test]
    fn refusals_by_status() {
        assert_eq!(
            ResumeRefusal::from_status(400),
            Some(ResumeRefusal::InvalidAnswers)
        );
        assert_eq!(
            ResumeRefusal::from_status(405),
            Some(ResumeRefusal::NotChallenged)
        );
        assert_eq!(ResumeRefusal::from_status(500), None);
    }
}
