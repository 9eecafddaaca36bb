//! The simulator's in-memory state and MX's rules, independent of HTTP.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::ConnectionStatus;

/// A demo institution.
#[derive(Debug, Clone)]
pub struct Institution {
    /// Atrium's `institution_code`.
    pub code: &'static str,
    /// Nexus's `institution_guid`.
    pub guid: &'static str,
    pub name: &'static str,
    pub url: &'static str,
    pub supports_oauth: bool,
    /// Test institutions accept `connection_status` on create (Nexus).
    pub is_test: bool,
    /// (credential guid, field name, label, type)
    pub credentials: &'static [(&'static str, &'static str, &'static str, &'static str)],
}

const LOGIN_PASSWORD: &[(&str, &str, &str, &str)] = &[
    (
        "CRD-1ec152cd-e628-e81a-e852-d1e7104624da",
        "LOGIN",
        "Username",
        "LOGIN",
    ),
    (
        "CRD-2b4c7d1e-9f3a-4e6b-8c2d-5a7f9e1b3c4d",
        "PASSWORD",
        "Password",
        "PASSWORD",
    ),
];
const CHASE_CREDENTIALS: &[(&str, &str, &str, &str)] = &[
    (
        "CRD-18cd14ce-2628-5eb6-ae17-b11f89d0b667",
        "LOGIN",
        "Username",
        "LOGIN",
    ),
    (
        "CRD-4f6a8b2c-1d3e-5f7a-9b0c-2d4e6f8a0b1c",
        "PASSWORD",
        "Password",
        "PASSWORD",
    ),
];

/// The institutions every simulator knows: those of MX's doc-page examples
/// (`mxbank` for Atrium, `INS-1572a04c-…` for Nexus), an OAuth bank and a
/// test institution.
pub const INSTITUTIONS: &[Institution] = &[
    Institution {
        code: "chase",
        guid: "INS-1572a04c-912b-59bf-5841-332c7dfafaef",
        name: "Chase Bank",
        url: "https://www.chase.com",
        supports_oauth: true,
        is_test: false,
        credentials: CHASE_CREDENTIALS,
    },
    Institution {
        code: "mx_test_bank",
        guid: "INS-f1a3285d-e855-b68f-6aa7-8ae775c0e0e9",
        name: "MX Test Bank",
        url: "https://www.mx.com",
        supports_oauth: true,
        is_test: true,
        credentials: LOGIN_PASSWORD,
    },
    Institution {
        code: "mxbank",
        guid: "INS-68e96dd6-eabd-42d3-9f05-416897f0746c",
        name: "MX Bank",
        url: "https://www.mx.com",
        supports_oauth: false,
        is_test: false,
        credentials: LOGIN_PASSWORD,
    },
    Institution {
        code: "mxbank_oauth",
        guid: "INS-b6a7e8c9-0d1f-4a2b-8c3d-4e5f6a7b8c9d",
        name: "MX Bank (OAuth)",
        url: "https://www.mx.com",
        supports_oauth: true,
        is_test: false,
        credentials: &[],
    },
];

/// A member's credentials as the rules compare them: (guid, value) pairs,
/// sorted, from any API's request items.
pub fn credential_set<'a>(
    items: impl IntoIterator<Item = (Option<&'a String>, Option<&'a crate::CredentialValue>)>,
) -> Vec<(String, String)> {
    let mut set: Vec<(String, String)> = items
        .into_iter()
        .map(|(guid, value)| {
            (
                guid.cloned().unwrap_or_default(),
                value.map(|v| v.expose().to_string()).unwrap_or_default(),
            )
        })
        .collect();
    set.sort();
    set
}

/// The create-member rules both APIs share; `Err` is the 400's message.
pub fn check_new_member(
    institution: &Institution,
    is_oauth: bool,
    credentials: &[(String, String)],
) -> Result<(), String> {
    if is_oauth && !institution.supports_oauth {
        return Err(format!("{} does not support OAuth", institution.name));
    }
    if !is_oauth && credentials.is_empty() {
        return Err("credentials are required unless is_oauth is true".into());
    }
    if let Some((guid, _)) = credentials
        .iter()
        .find(|(g, _)| !institution.credentials.iter().any(|c| c.0 == g))
    {
        return Err(format!(
            "credential {guid} is not a credential of {}",
            institution.name
        ));
    }
    Ok(())
}

pub fn institution_by_code(code: &str) -> Option<&'static Institution> {
    INSTITUTIONS.iter().find(|i| i.code == code)
}

pub fn institution_by_guid(guid: &str) -> Option<&'static Institution> {
    INSTITUTIONS.iter().find(|i| i.guid == guid)
}

/// Which API created a member: the two have separate rules and errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Nexus,
    Atrium,
}

#[derive(Debug, Clone)]
pub struct User {
    pub guid: String,
    pub identifier: Option<String>,
    pub metadata: Option<String>,
    pub is_disabled: bool,
}

/// An aggregation job: running until `done_at`.
#[derive(Debug, Clone, Copy)]
pub struct Job {
    pub started: SystemTime,
    pub done_at: Instant,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub api: Api,
    pub guid: String,
    pub user_guid: String,
    pub institution: &'static Institution,
    /// (guid, value), sorted: the identity of a member's credentials.
    pub credentials: Vec<(String, String)>,
    pub identifier: Option<String>,
    pub metadata: Option<String>,
    pub name: String,
    pub is_oauth: bool,
    pub skip_aggregation: bool,
    /// Set explicitly (test institutions, OAuth, no job).
    pub status: ConnectionStatus,
    pub job: Option<Job>,
    pub successfully_aggregated_at: Option<SystemTime>,
    pub oauth_token: Option<String>,
    pub external_guid: Option<String>,
    pub use_cases: Vec<String>,
    pub background_aggregation_is_disabled: bool,
    pub most_recent_job_guid: Option<String>,
}

impl Member {
    /// Lets a finished job complete: `CONNECTED`, aggregated.
    pub fn settle(&mut self, now: Instant) {
        if let Some(job) = self.job {
            if now >= job.done_at {
                self.job = None;
                self.status = ConnectionStatus::Connected;
                self.successfully_aggregated_at = Some(SystemTime::now());
            }
        }
    }

    pub fn is_being_aggregated(&self) -> bool {
        self.job.is_some()
    }
}

/// Everything the simulator holds. Guarded by one mutex: every rule below
/// runs atomically, so concurrent clients never lose a write.
#[derive(Debug, Default)]
pub struct State {
    pub users: HashMap<String, User>,
    /// Users in creation order, for stable pagination.
    pub user_order: Vec<String>,
    pub members: HashMap<String, Member>,
    /// Each user's members in creation order: every rule about a user's
    /// members reads only these, whatever the total.
    by_user: HashMap<String, Vec<String>>,
    /// One-time OAuth tokens → member guid.
    pub oauth: HashMap<String, String>,
    counter: u64,
}

impl State {
    /// A fresh MX-style GUID (`PREFIX-8-4-4-4-12` hex).
    pub fn guid(&mut self, prefix: &str) -> String {
        self.counter += 1;
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos() as u64;
        let mut x = nanos ^ self.counter.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut next = || {
            // xorshift64*
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            x.wrapping_mul(0x2545_F491_4F6C_DD1D)
        };
        let (a, b) = (next(), next());
        format!(
            "{prefix}-{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }

    pub fn add_user(
        &mut self,
        identifier: Option<String>,
        metadata: Option<String>,
        is_disabled: bool,
    ) -> User {
        let user = User {
            guid: self.guid("USR"),
            identifier,
            metadata,
            is_disabled,
        };
        self.users.insert(user.guid.clone(), user.clone());
        self.user_order.push(user.guid.clone());
        user
    }

    pub fn delete_user(&mut self, guid: &str) -> bool {
        if self.users.remove(guid).is_none() {
            return false;
        }
        self.user_order.retain(|g| g != guid);
        for g in self.by_user.get(guid).cloned().unwrap_or_default() {
            self.delete_member(&g);
        }
        true
    }

    /// Adds a member (its GUID is new).
    pub fn add_member(&mut self, member: Member) {
        self.by_user
            .entry(member.user_guid.clone())
            .or_default()
            .push(member.guid.clone());
        self.members.insert(member.guid.clone(), member);
    }

    pub fn delete_member(&mut self, guid: &str) -> bool {
        let Some(m) = self.members.remove(guid) else {
            return false;
        };
        if let Some(list) = self.by_user.get_mut(&m.user_guid) {
            list.retain(|g| g != guid);
        }
        self.oauth.retain(|_, m| m != guid);
        true
    }

    /// The members of a user, in creation order, settled.
    pub fn members_of(&mut self, user_guid: &str) -> Vec<Member> {
        let now = Instant::now();
        let Some(guids) = self.by_user.get(user_guid) else {
            return Vec::new();
        };
        guids
            .iter()
            .filter_map(|g| {
                let m = self.members.get_mut(g)?;
                m.settle(now);
                Some(m.clone())
            })
            .collect()
    }

    /// A member of a user, settled.
    pub fn member(&mut self, user_guid: &str, guid: &str) -> Option<&mut Member> {
        let m = self
            .members
            .get_mut(guid)
            .filter(|m| m.user_guid == user_guid)?;
        m.settle(Instant::now());
        Some(m)
    }

    /// Is there already a member of this user at this institution with the
    /// same credentials (OAuth members: the same institution)?
    pub fn is_duplicate(
        &self,
        api: Api,
        user_guid: &str,
        institution: &Institution,
        credentials: &[(String, String)],
    ) -> bool {
        let Some(guids) = self.by_user.get(user_guid) else {
            return false;
        };
        guids.iter().filter_map(|g| self.members.get(g)).any(|m| {
            m.api == api && m.institution.code == institution.code && m.credentials == credentials
        })
    }

    /// Starts an aggregation job on a member.
    pub fn start_job(&mut self, member_guid: &str, delay: Duration) {
        let job_guid = self.guid("JOB");
        if let Some(m) = self.members.get_mut(member_guid) {
            m.job = Some(Job {
                started: SystemTime::now(),
                done_at: Instant::now() + delay,
            });
            m.most_recent_job_guid = Some(job_guid);
        }
    }

    /// A fresh one-time OAuth token for a member.
    pub fn oauth_token(&mut self, member_guid: &str) -> String {
        let token = self.guid("OAUTH");
        self.oauth.retain(|_, m| m != member_guid);
        self.oauth.insert(token.clone(), member_guid.to_string());
        if let Some(m) = self.members.get_mut(member_guid) {
            m.oauth_token = Some(token.clone());
        }
        token
    }
}

/// RFC 3339 in UTC with seconds, as MX writes date-times.
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_of_known_instants() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00+00:00");
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(1_476_381_456)),
            "2016-10-13T17:57:36+00:00"
        );
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00+00:00"
        );
    }

    #[test]
    fn guids_are_unique_and_shaped_like_mx_guids() {
        let mut s = State::default();
        let a = s.guid("MBR");
        let b = s.guid("MBR");
        assert_ne!(a, b);
        assert_eq!(a.len(), "MBR-7c6f361b-e582-15b6-60c0-358f12466b4b".len());
        assert!(a.starts_with("MBR-"));
    }
}
