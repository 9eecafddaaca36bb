//! Path templates (`/users/{user_guid}/members/{member_guid}`) and matching.

/// One segment of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    /// `{name}` followed by an optional literal suffix (`{guid}.pdf`).
    Param {
        name: String,
        suffix: String,
    },
}

/// A compiled path template.
#[derive(Debug, Clone)]
pub struct Template {
    pub text: String,
    pub segments: Vec<Segment>,
}

impl Template {
    pub fn parse(text: &str) -> Template {
        let segments = split(text)
            .map(|s| match (s.strip_prefix('{'), s.find('}')) {
                (Some(_), Some(end)) => Segment::Param {
                    name: s[1..end].to_string(),
                    suffix: s[end + 1..].to_string(),
                },
                _ => Segment::Literal(s.to_string()),
            })
            .collect();
        Template {
            text: text.to_string(),
            segments,
        }
    }

    /// The parameters `path` gives this template, with a specificity score
    /// (literal segments weigh most), or `None` when it does not match.
    pub fn matches(&self, path: &str) -> Option<(u32, Vec<(String, String)>)> {
        let mut params = Vec::new();
        let mut score = 0;
        let mut parts = split(path);
        for seg in &self.segments {
            let part = parts.next()?;
            match seg {
                Segment::Literal(l) => {
                    if l != part {
                        return None;
                    }
                    score += 4;
                }
                Segment::Param { name, suffix } => {
                    let value = part.strip_suffix(suffix.as_str())?;
                    if value.is_empty() {
                        return None;
                    }
                    score += if suffix.is_empty() { 0 } else { 2 };
                    params.push((name.clone(), percent_decode(value)));
                }
            }
        }
        if parts.next().is_some() {
            return None;
        }
        Some((score, params))
    }

    /// The last literal segment: the collection of a collection path.
    pub fn last_literal(&self) -> Option<&str> {
        self.segments.iter().rev().find_map(|s| match s {
            Segment::Literal(l) => Some(l.as_str()),
            _ => None,
        })
    }

    /// (collection, parameter) for each `literal/{param}` pair in order.
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.segments
            .windows(2)
            .filter_map(|w| match w {
                [Segment::Literal(l), Segment::Param { name, .. }] => {
                    Some((l.as_str(), name.as_str()))
                }
                _ => None,
            })
            .collect()
    }

    /// Does the template end with a parameter (a single resource)?
    pub fn ends_with_param(&self) -> bool {
        matches!(self.segments.last(), Some(Segment::Param { .. }))
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.trim_matches('/').split('/').filter(|s| !s.is_empty())
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixed_parameters_match_and_score_higher() {
        let pdf = Template::parse("/m/{member_guid}/statements/{statement_guid}.pdf");
        let json = Template::parse("/m/{member_guid}/statements/{statement_guid}");
        let (a, p) = pdf.matches("/m/MBR-1/statements/STA-2.pdf").unwrap();
        let (b, _) = json.matches("/m/MBR-1/statements/STA-2.pdf").unwrap();
        assert!(a > b);
        assert_eq!(p[1], ("statement_guid".into(), "STA-2".into()));
        assert!(pdf.matches("/m/MBR-1/statements/STA-2").is_none());
        let (_, p) = json.matches("/m/a%20b&c=d/statements/x+y").unwrap();
        assert_eq!(p[0].1, "a b&c=d");
        assert_eq!(p[1].1, "x+y");
        assert_eq!(
            json.pairs(),
            vec![("m", "member_guid"), ("statements", "statement_guid")]
        );
    }
}
