//! MFA challenges, typed.
//!
//! Sources: MX's Platform spec (`listMemberChallenges`: 200 with the
//! challenges while the member is CHALLENGED, 204 when there is nothing to
//! answer; atrium-ruby PR #26 for Atrium's 204) and the challenge shape of
//! MX's specs (`guid`, `label`, `field_name`, `type`, `options`,
//! `image_data`, `image_options`). Types: TEXT, OPTIONS, IMAGE (Atrium's
//! older name IMAGE_DATA) and IMAGE_OPTIONS; any other type is kept as
//! [`ChallengeKind::Other`] with all its data.

use serde::Deserialize;

use crate::__private::de::null_as_default;

/// One MFA challenge the end user must answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "RawChallenge")]
pub struct Challenge {
    /// Send it back with the answer (see [`Answers`](super::resume::Answers)).
    pub guid: String,
    /// The question or prompt to show.
    pub label: Option<String>,
    /// `field_name`: the name of the field the answer belongs to.
    pub field_name: Option<String>,
    /// The challenge's `type`, with what it shows (options, an image).
    pub kind: ChallengeKind,
}

/// What kind of answer a challenge takes, with what it shows.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ChallengeKind {
    /// `TEXT`: a typed answer.
    Text,
    /// `OPTIONS`: pick one option; answer its `value`.
    Options(Vec<ChallengeOption>),
    /// `IMAGE` (or `IMAGE_DATA`): a typed answer to an image, given as a
    /// data URI.
    Image {
        /// `image_data`: the image to show.
        data_uri: Option<String>,
    },
    /// `IMAGE_OPTIONS`: pick one image; answer its `value`.
    ImageOptions(Vec<ImageOption>),
    /// A type this version of the crate does not know, kept whole.
    Other {
        /// `type`, as MX sent it (`None` when absent).
        type_: Option<String>,
        /// `options`; empty when absent.
        options: Vec<ChallengeOption>,
        /// `image_data`: an image to show, as a data URI.
        image_data: Option<String>,
        /// `image_options`; empty when absent.
        image_options: Vec<ImageOption>,
    },
}

/// A choice of an `OPTIONS` challenge.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ChallengeOption {
    /// `label`: the text to show for the option.
    #[serde(default)]
    pub label: Option<String>,
    /// What to answer when the end user picks it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub value: String,
}

/// A choice of an `IMAGE_OPTIONS` challenge.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ImageOption {
    /// `label`: the text to show with the image, if any.
    #[serde(default)]
    pub label: Option<String>,
    /// What to answer when the end user picks it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub value: String,
    /// The image, as a data URI.
    #[serde(default)]
    pub data_uri: Option<String>,
}

/// The wire shape, lenient: nulls are absent values, unknown fields ignored.
#[derive(Deserialize)]
struct RawChallenge {
    #[serde(default)]
    guid: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    field_name: Option<String>,
    #[serde(default, rename = "type")]
    type_: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    options: Vec<ChallengeOption>,
    #[serde(default)]
    image_data: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    image_options: Vec<ImageOption>,
}

impl TryFrom<RawChallenge> for Challenge {
    type Error = String;
    fn try_from(raw: RawChallenge) -> Result<Self, String> {
        let guid = raw
            .guid
            .filter(|g| !g.is_empty())
            .ok_or("a challenge without a guid cannot be answered")?;
        let kind = match raw.type_.as_deref() {
            Some("TEXT") => ChallengeKind::Text,
            Some("OPTIONS") => ChallengeKind::Options(raw.options),
            Some("IMAGE" | "IMAGE_DATA") => ChallengeKind::Image {
                data_uri: raw.image_data,
            },
            Some("IMAGE_OPTIONS") => ChallengeKind::ImageOptions(raw.image_options),
            _ => ChallengeKind::Other {
                type_: raw.type_,
                options: raw.options,
                image_data: raw.image_data,
                image_options: raw.image_options,
            },
        };
        Ok(Challenge {
            guid,
            label: raw.label,
            field_name: raw.field_name,
            kind,
        })
    }
}

impl Challenge {
    /// The typed challenges of an API's generated challenge list (e.g.
    /// Atrium's member status read), read through their JSON form so that
    /// every API's challenge type converts the same way.
    pub fn from_generated<T: serde::Serialize>(list: &[T]) -> Result<Vec<Self>, serde_json::Error> {
        serde_json::from_value(serde_json::to_value(list)?)
    }

    /// The values a pick may answer: the options' values for OPTIONS and
    /// IMAGE_OPTIONS (and an unknown type that has options); `None` when
    /// the answer is free text.
    pub fn choices(&self) -> Option<Vec<&str>> {
        fn values<'a>(o: &'a [ChallengeOption], i: &'a [ImageOption]) -> Vec<&'a str> {
            o.iter()
                .map(|o| o.value.as_str())
                .chain(i.iter().map(|i| i.value.as_str()))
                .collect()
        }
        match &self.kind {
            ChallengeKind::Options(o) => Some(values(o, &[])),
            ChallengeKind::ImageOptions(i) => Some(values(&[], i)),
            ChallengeKind::Other {
                options,
                image_options,
                ..
            } if !(options.is_empty() && image_options.is_empty()) => {
                Some(values(options, image_options))
            }
            _ => None,
        }
    }
}

/// The answer of the challenges list.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Challenges {
    /// 200: answer these.
    ToAnswer(Vec<Challenge>),
    /// 204 (or a 200 with no challenge): the member is not waiting for an
    /// answer.
    NothingToAnswer,
}

/// Why a challenges answer could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum ChallengesError {
    /// A status other than 200 and 204.
    UnexpectedStatus(u16),
    /// A 200 whose body is not `{"challenges": [...]}`.
    Decode(serde_json::Error),
    /// The call failed.
    Api(crate::Error),
}

impl std::fmt::Display for ChallengesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChallengesError::UnexpectedStatus(s) => {
                write!(f, "the challenges list answered {s}, not 200 or 204")
            }
            ChallengesError::Decode(e) => write!(f, "the challenges list did not decode: {e}"),
            ChallengesError::Api(e) => write!(f, "listing the challenges failed: {e}"),
        }
    }
}

impl std::error::Error for ChallengesError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ChallengesError::Decode(e) => Some(e),
            ChallengesError::Api(e) => Some(e),
            ChallengesError::UnexpectedStatus(_) => None,
        }
    }
}

#[derive(Deserialize)]
struct ChallengesBody {
    #[serde(default, deserialize_with = "null_as_default")]
    challenges: Vec<Challenge>,
}

impl Challenges {
    /// Reads the answer of a challenges list: its status and body.
    pub fn from_answer(status: u16, body: &[u8]) -> Result<Self, ChallengesError> {
        match status {
            204 => Ok(Challenges::NothingToAnswer),
            200 => {
                let body: ChallengesBody =
                    serde_json::from_slice(body).map_err(ChallengesError::Decode)?;
                Ok(Self::from_list(body.challenges))
            }
            other => Err(ChallengesError::UnexpectedStatus(other)),
        }
    }

    /// Glue for a generated challenges-list call: its result
    /// (`send().await`). The pipeline leaves the bodyless 204 out of the
    /// generated decoding (progenitor takes one success type), so it
    /// arrives as an undocumented-to-progenitor success, documented in the
    /// wire table: here it is `NothingToAnswer`.
    pub fn from_result<T: serde::Serialize, E: Into<crate::Error>>(
        result: Result<progenitor_client::ResponseValue<T>, E>,
    ) -> Result<Self, ChallengesError> {
        match result.map_err(Into::into) {
            Ok(rv) => {
                let status = rv.status().as_u16();
                let body = serde_json::to_vec(rv.as_ref()).map_err(ChallengesError::Decode)?;
                Self::from_answer(status, &body)
            }
            Err(crate::Error::UnexpectedSuccess(s)) if s.as_u16() == 204 => {
                Ok(Challenges::NothingToAnswer)
            }
            Err(e) => Err(ChallengesError::Api(e)),
        }
    }

    /// `NothingToAnswer` for an empty list.
    pub fn from_list(challenges: Vec<Challenge>) -> Self {
        if challenges.is_empty() {
            Challenges::NothingToAnswer
        } else {
            Challenges::ToAnswer(challenges)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(v: serde_json::Value) -> Challenge {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn every_documented_type_decodes() {
        let text = one(
            json!({"guid": "CRD-1", "label": "What city?", "field_name": "city", "type": "TEXT"}),
        );
        assert_eq!(text.kind, ChallengeKind::Text);
        assert_eq!(text.label.as_deref(), Some("What city?"));
        assert_eq!(text.choices(), None);

        let options = one(
            json!({"guid": "CRD-2", "label": "Where to send the code?", "type": "OPTIONS",
            "options": [{"label": "Text ***-1234", "value": "sms"}, {"label": "Email", "value": "email"}]}),
        );
        let ChallengeKind::Options(o) = &options.kind else {
            panic!("{options:?}")
        };
        assert_eq!(o[0].label.as_deref(), Some("Text ***-1234"));
        assert_eq!(options.choices(), Some(vec!["sms", "email"]));

        for t in ["IMAGE", "IMAGE_DATA"] {
            let image = one(
                json!({"guid": "CRD-3", "type": t, "image_data": "data:image/png;base64,iVBORw0KGgo="}),
            );
            assert_eq!(
                image.kind,
                ChallengeKind::Image {
                    data_uri: Some("data:image/png;base64,iVBORw0KGgo=".into())
                }
            );
        }

        let images = one(
            json!({"guid": "CRD-4", "type": "IMAGE_OPTIONS", "label": "Pick your image",
            "image_options": [{"label": "cat", "value": "1", "data_uri": "data:image/png;base64,AA=="}]}),
        );
        assert_eq!(
            images.kind,
            ChallengeKind::ImageOptions(vec![ImageOption {
                label: Some("cat".into()),
                value: "1".into(),
                data_uri: Some("data:image/png;base64,AA==".into()),
            }])
        );
        assert_eq!(images.choices(), Some(vec!["1"]));
    }

    #[test]
    fn nulls_unknown_fields_and_unknown_types_are_kept() {
        let c = one(
            json!({"guid": "CRD-5", "type": "OPTIONS", "options": null, "image_data": null,
            "image_options": null, "label": null, "something_new": {"a": 1}}),
        );
        assert_eq!(c.kind, ChallengeKind::Options(vec![]));
        let c = one(
            json!({"guid": "CRD-6", "type": "VOICE", "options": [{"label": "x", "value": null}]}),
        );
        let ChallengeKind::Other { type_, options, .. } = &c.kind else {
            panic!("{c:?}")
        };
        assert_eq!(type_.as_deref(), Some("VOICE"));
        assert_eq!(options[0].value, "");
        let err = serde_json::from_value::<Challenge>(json!({"type": "TEXT"})).unwrap_err();
        assert!(err.to_string().contains("without a guid"), "{err}");
    }

    #[test]
    fn a_204_is_nothing_to_answer() {
        assert_eq!(
            Challenges::from_answer(204, b"").unwrap(),
            Challenges::NothingToAnswer
        );
        assert_eq!(
            Challenges::from_answer(200, br#"{"challenges": null}"#).unwrap(),
            Challenges::NothingToAnswer
        );
        let got = Challenges::from_answer(
            200,
            br#"{"challenges": [{"guid": "CRD-1", "type": "TEXT", "label": "Code?"}]}"#,
        )
        .unwrap();
        let Challenges::ToAnswer(list) = got else {
            panic!("{got:?}")
        };
        assert_eq!(list[0].guid, "CRD-1");
        assert!(matches!(
            Challenges::from_answer(200, b"<html>"),
            Err(ChallengesError::Decode(_))
        ));
        assert!(matches!(
            Challenges::from_answer(202, b""),
            Err(ChallengesError::UnexpectedStatus(202))
        ));
    }
}
