//! Every operation of each Platform version, called through its generated
//! client against the simulator in an integrator's order, each answer
//! decoded into the version's generated types, every read and list checked
//! non-empty with its key fields set, and values checked across routes.
//! Calling a set of operations that is not all of the version's
//! `WIRE.operations` fails the test naming the missing ones, so an operation
//! added to a spec must be added here.
//!
//! The two versions share the code where their types allow: each file
//! writes its steps once, in a macro instantiated per version by
//! [`for_each_version`]; what differs (request bodies whose types differ,
//! operations one version lacks) is in `platform_every_operation_versions`.
//! The steps, by file: the member's data (`_data`), what MX derives from it
//! (`_insights`), the user's own records (`_records`), budgets, goals and
//! spending plans (`_plans`), managed data (`_managed`), jobs, MFA, OAuth
//! and the widget (`_flows`), microdeposits, ACH returns and the processor
//! flow (`_money`).

use std::collections::BTreeSet;
use std::fmt::Display;
use std::time::Duration;

use mx_client::Error;
use mx_sim::{Config, Simulator};

/// How long the simulator's jobs run here (its `Config`): long enough for
/// the 202 checks to land while a job runs on a loaded machine.
pub const JOB: Duration = Duration::from_millis(200);

/// Lets the jobs started so far finish.
pub async fn settle() {
    tokio::time::sleep(JOB + Duration::from_millis(100)).await;
}

/// A simulator whose jobs take [`JOB`].
pub async fn simulator() -> Simulator {
    mx_sim::start_with(
        Config {
            aggregation_time: JOB,
            job_time: JOB,
            ..Config::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap()
}

/// The operations of one version called so far, by name.
#[derive(Default)]
pub struct Calls(BTreeSet<&'static str>);

impl Calls {
    /// The answer of operation `name`, recorded as called; a failure panics
    /// naming the operation.
    pub fn ok<T, E: Into<Error>>(&mut self, name: &'static str, r: Result<T, E>) -> T {
        let r = r.unwrap_or_else(|e| {
            let e: Error = e.into();
            panic!("{name}: {e:?}")
        });
        self.0.insert(name);
        r
    }

    /// The decoded body of operation `name`'s answer, recorded as called.
    /// (`ResponseValue` is progenitor's, the same type in every API module.)
    pub fn body<T, E: Into<Error>>(
        &mut self,
        name: &'static str,
        r: Result<mx_client::atrium::ResponseValue<T>, E>,
    ) -> T {
        self.ok(name, r).into_inner()
    }

    /// Fails naming every operation of `wire` (the spec of `version`) not
    /// called.
    pub fn assert_called_every_operation_of(
        &self,
        version: &str,
        wire: &mx_client::__private::ApiWire,
    ) {
        let every: BTreeSet<&str> = wire.operations.iter().map(|o| o.name).collect();
        let missing: Vec<_> = every.difference(&self.0).collect();
        assert!(
            missing.is_empty(),
            "{} operations of {} {version} not called: {missing:?}",
            missing.len(),
            wire.title
        );
        assert_eq!(self.0, every);
    }
}

/// The text of a string field that one version types as `String` and the
/// other as a generated enum (both `Display` their wire value).
pub fn text<T: Display>(v: &Option<T>) -> Option<String> {
    v.as_ref().map(ToString::to_string)
}

/// The set of the given GUIDs.
pub fn guids<'a>(items: impl IntoIterator<Item = &'a Option<String>>) -> BTreeSet<String> {
    items.into_iter().flatten().cloned().collect()
}

/// A set optional field, or a panic naming it and its type (a panic in
/// the macro-made steps points at the macro's invocation, not the step).
pub fn set<'a, T>(v: &'a Option<T>, what: &str) -> &'a T {
    v.as_ref()
        .unwrap_or_else(|| panic!("{what} ({}) is not set", std::any::type_name::<T>()))
}

/// What the steps share: the user, its connected MX Bank member, and what
/// reading the member's data found.
#[derive(Debug, Clone, Default)]
pub struct Ids {
    pub user: String,
    pub member: String,
    /// Every account of the member.
    pub accounts: BTreeSet<String>,
    pub checking: String,
    pub savings: String,
    pub credit_card: String,
    pub investment: String,
    /// A transaction of the checking account (its merchant is seeded).
    pub transaction: String,
    /// The category of that transaction.
    pub category: String,
}

/// Instantiates the macro `$step` once per enabled Platform version, with
/// the version's module name, its crate module, and the builder methods of
/// the path parameters v20250224 renames (`{user_identifier}` where v20111101 has `{user_guid}`, …).
macro_rules! for_each_version {
    ($step:ident) => {
        #[cfg(feature = "platform-v20111101")]
        $step!(
            v20111101,
            mx_client::platform::v20111101,
            user: user_guid,
            member: member_guid,
            account: account_guid,
            transaction: transaction_guid,
            institution: institution_code,
        );
        #[cfg(feature = "platform-v20250224")]
        $step!(
            v20250224,
            mx_client::platform::v20250224,
            user: user_identifier,
            member: member_identifier,
            account: account_identifier,
            transaction: transaction_identifier,
            institution: institution_identifier,
        );
    };
}
pub(crate) use for_each_version;

/// The test of one version, and its first and last steps.
macro_rules! every_operation {
    (
        $module:ident,
        $api:path,
        user: $user:ident,
        member: $member:ident,
        account: $account:ident,
        transaction: $txn:ident,
        institution: $institution:ident $(,)?
    ) => {
        pub mod $module {
            use std::collections::BTreeSet;
            use std::time::{Duration, Instant};

            use mx_client::lifecycle::{PollConfig, Settled};
            use mx_client::{ApiKey, ClientId, ConnectionStatus, Error};
            use $api::{types, Client, Environment};

            use crate::platform_every_operation::{guids, set, simulator, Calls, Ids};
            use crate::platform_every_operation_data::$module as data;
            use crate::platform_every_operation_flows::$module as flows;
            use crate::platform_every_operation_insights::$module as insights;
            use crate::platform_every_operation_managed::$module as managed;
            use crate::platform_every_operation_money::$module as money;
            use crate::platform_every_operation_plans::$module as plans;
            use crate::platform_every_operation_records::$module as records;
            use crate::platform_every_operation_versions::$module as versions;

            /// A client of the simulator's Platform API in this version.
            pub fn client(sim: &mx_sim::Simulator) -> Client {
                Client::from_environment(
                    Environment::Custom(sim.platform_base_url()),
                    ClientId::new(mx_sim::DEMO_CLIENT_ID),
                    ApiKey::new(mx_sim::DEMO_API_KEY),
                )
                .expect("a client of the simulator")
            }

            /// MX Bank's credential fields with this password (MX's test
            /// credentials: the password decides the outcome).
            pub fn mxbank(
                fields: &[types::CredentialResponse],
                password: &str,
            ) -> types::MemberCreateRequestBody {
                let credentials = fields
                    .iter()
                    .map(|f| types::CredentialRequest {
                        guid: f.guid.clone(),
                        value: Some(match f.field_name.as_deref() {
                            Some("PASSWORD") => password.into(),
                            _ => "mxuser".into(),
                        }),
                        ..Default::default()
                    })
                    .collect::<Vec<_>>();
                types::MemberCreateRequestBody {
                    member: Some(types::MemberCreateRequest::new(credentials, "mxbank")),
                    ..Default::default()
                }
            }

            /// Follows the member through the crate's lifecycle API until it
            /// settles.
            pub async fn poll(mx: &Client, user: &str, member: &str) -> Settled {
                let config = PollConfig::new()
                    .interval(Duration::from_millis(30))
                    .deadline(Duration::from_secs(10));
                mx.member(user, member).poll(config).await.unwrap()
            }

            #[tokio::test]
            async fn every_operation_decodes_through_the_generated_client() {
                let started = Instant::now();
                let sim = simulator().await;
                let mx = client(&sim);
                let mut c = Calls::default();
                let fields = institutions(&mx, &mut c).await;
                let mut ids = user_and_member(&mx, &mut c, &fields).await;
                data::accounts(&mx, &mut c, &mut ids).await;
                data::transactions(&mx, &mut c, &mut ids).await;
                data::holdings_and_statements(&mx, &mut c, &ids).await;
                data::merchants_and_categories(&mx, &mut c, &ids).await;
                insights::insights(&mx, &mut c, &ids).await;
                insights::derived(&mx, &mut c, &ids).await;
                let made = records::records(&mx, &mut c, &ids).await;
                let planned = plans::plans(&mx, &mut c, &ids).await;
                let managed_made = managed::managed_data(&mx, &mut c, &ids).await;
                flows::jobs(&mx, &mut c, &ids).await;
                flows::mfa(&mx, &mut c, &ids, &fields).await;
                flows::oauth_and_widgets(&sim, &mx, &mut c, &ids).await;
                let microdeposit = money::microdeposits_and_ach_returns(&mx, &mut c, &ids).await;
                money::processor(&sim, &mx, &mut c, &ids).await;
                versions::only_this_version(&mx, &mut c, &ids).await;
                plans::delete(&mx, &mut c, &ids, &planned).await;
                records::delete(&mx, &mut c, &ids, &made).await;
                managed::delete(&mx, &mut c, &ids, &managed_made).await;
                money::delete(&mx, &mut c, &ids, &microdeposit).await;
                updates_and_deletes(&mx, &mut c, &ids).await;
                c.assert_called_every_operation_of(
                    stringify!($module),
                    mx_client::__private::wire_of::<Client>(),
                );
                assert!(
                    started.elapsed() < Duration::from_secs(30),
                    "{:?}",
                    started.elapsed()
                );
            }

            /// Institutions: MX Bank, and its credential fields.
            async fn institutions(mx: &Client, c: &mut Calls) -> Vec<types::CredentialResponse> {
                let all = c
                    .body(
                        "list_institutions",
                        mx.list_institutions().name("MX Bank").send().await,
                    )
                    .institutions;
                assert!(
                    all.iter().any(|i| i.code.as_deref() == Some("mxbank")),
                    "{all:?}"
                );
                let favorites = c
                    .body(
                        "list_favorite_institutions",
                        mx.list_favorite_institutions().send().await,
                    )
                    .institutions;
                // MX: favorites are "set as favorites, sorted by popularity.
                // Please contact MX to set a list of favorites" (the spec's
                // description). Assumed: the simulator's demo client has
                // some set, as a configured client has.
                assert!(!favorites.is_empty());
                assert!(favorites
                    .iter()
                    .all(|i| i.code.is_some() && i.name.is_some()));
                let mxbank = c
                    .body(
                        "read_institution",
                        mx.read_institution()
                            .institution_code("mxbank")
                            .send()
                            .await,
                    )
                    .institution;
                let mxbank = set(&mxbank, "institution");
                assert_eq!(mxbank.name.as_deref(), Some("MX Bank"));
                assert_eq!(mxbank.code.as_deref(), Some("mxbank"));
                let fields = c
                    .body(
                        "list_institution_credentials",
                        mx.list_institution_credentials()
                            .$institution("mxbank")
                            .send()
                            .await,
                    )
                    .credentials;
                let names: BTreeSet<_> =
                    fields.iter().filter_map(|f| f.field_name.clone()).collect();
                assert_eq!(names, BTreeSet::from(["LOGIN".into(), "PASSWORD".into()]));
                assert!(fields.iter().all(|f| f.guid.is_some() && f.label.is_some()));
                fields
            }

            /// A user, and an MX Bank member with `password` followed until
            /// it is CONNECTED.
            async fn user_and_member(
                mx: &Client,
                c: &mut Calls,
                fields: &[types::CredentialResponse],
            ) -> Ids {
                let body = types::UserCreateRequestBody {
                    user: Some(types::UserCreateRequest {
                        id: Some("every-platform-operation".into()),
                        email: Some("integrator@example.com".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let user = c
                    .body("create_user", mx.create_user().body(body).send().await)
                    .user;
                let user = set(&user, "user").clone();
                let u = set(&user.guid, "user.guid").clone();
                let users = c
                    .body(
                        "list_users",
                        mx.list_users().records_per_page(100).send().await,
                    )
                    .users;
                assert!(users.contains(&user), "{users:?}");
                let read = c
                    .body("read_user", mx.read_user().$user(&u).send().await)
                    .user;
                assert_eq!(read.as_ref(), Some(&user));

                let created = c.ok(
                    "create_member",
                    mx.create_member()
                        .$user(&u)
                        .body(mxbank(fields, "password"))
                        .send()
                        .await,
                );
                assert_eq!(created.status().as_u16(), 202);
                let member = created.into_inner().member;
                let g = set(&member, "member").guid.clone().unwrap();
                let settled = poll(mx, &u, &g).await;
                assert!(matches!(settled, Settled::Connected(_)), "{settled:?}");
                let status = c
                    .body(
                        "read_member_status",
                        mx.read_member_status().$user(&u).$member(&g).send().await,
                    )
                    .member;
                let status = set(&status, "member status");
                assert_eq!(status.connection_status, Some(ConnectionStatus::Connected));
                assert_eq!(status.is_being_aggregated, Some(false));
                let members = c
                    .body("list_members", mx.list_members().$user(&u).send().await)
                    .members;
                assert_eq!(
                    guids(members.iter().map(|m| &m.guid)),
                    BTreeSet::from([g.clone()])
                );
                let read = c
                    .body(
                        "read_member",
                        mx.read_member().$user(&u).$member(&g).send().await,
                    )
                    .member;
                let read = set(&read, "member");
                assert_eq!(read.institution_code.as_deref(), Some("mxbank"));
                assert_eq!(read.user_guid.as_deref(), Some(u.as_str()));
                assert_eq!(Some(read), members.first());
                let stored = c
                    .body(
                        "list_member_credentials",
                        mx.list_member_credentials()
                            .$user(&u)
                            .$member(&g)
                            .send()
                            .await,
                    )
                    .credentials;
                assert_eq!(
                    guids(stored.iter().map(|c| &c.guid)),
                    guids(fields.iter().map(|f| &f.guid))
                );
                Ids {
                    user: u,
                    member: g,
                    ..Ids::default()
                }
            }

            /// Updates of the user and the member, then the member and the
            /// user deleted, gone for every route.
            async fn updates_and_deletes(mx: &Client, c: &mut Calls, ids: &Ids) {
                let (u, g) = (ids.user.as_str(), ids.member.as_str());
                let body = types::UserUpdateRequestBody {
                    user: Some(types::UserUpdateRequest {
                        metadata: Some("{\"tier\":2}".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let updated = c
                    .body(
                        "update_user",
                        mx.update_user().$user(u).body(body).send().await,
                    )
                    .user;
                let updated = set(&updated, "user");
                assert_eq!(updated.metadata.as_deref(), Some("{\"tier\":2}"));
                assert_eq!(updated.id.as_deref(), Some("every-platform-operation"));
                let body = types::MemberUpdateRequestBody {
                    member: Some(types::MemberUpdateRequest {
                        metadata: Some("renamed".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let renamed = c
                    .body(
                        "update_member",
                        mx.update_member()
                            .$user(u)
                            .$member(g)
                            .body(body)
                            .send()
                            .await,
                    )
                    .member;
                assert_eq!(set(&renamed, "member").metadata.as_deref(), Some("renamed"));

                let gone = c.ok(
                    "delete_member",
                    mx.delete_member().$user(u).$member(g).send().await,
                );
                assert_eq!(gone.status().as_u16(), 204);
                let err = mx
                    .list_member_accounts()
                    .$user(u)
                    .$member(g)
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::NotFound(_)), "{err:?}");
                let gone = c.ok("delete_user", mx.delete_user().$user(u).send().await);
                assert_eq!(gone.status().as_u16(), 204);
                let err = mx.read_user().$user(u).send().await.unwrap_err();
                assert!(matches!(err, Error::NotFound(_)), "{err:?}");
            }
        }
    };
}

for_each_version!(every_operation);
