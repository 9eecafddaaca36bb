//! Every operation of every spec, called through the generated clients
//! against the simulator in an integrator's order, each answer decoded into
//! the generated types, with the values checked across routes. Calling a
//! set of operations that is not all of `WIRE.operations` fails the test, so
//! an operation added to a spec must be added here. The member's data is
//! read in `every_operation_data`, jobs, MFA, OAuth, the widget and Nexus in
//! `every_operation_flows`.

use std::collections::BTreeSet;
use std::time::Duration;

use mx_client::atrium::{self, types as at};
use mx_client::nexus;
use mx_client::{ConnectionStatus, Error};
use mx_sim::Config;

use crate::common::{atrium_client, nexus_client};
use crate::{every_operation_data as data, every_operation_flows as flows};

/// How long the simulator's jobs run here (its `Config`): long enough for
/// the 202 and 409 checks to land while a job runs on a loaded machine.
const JOB: Duration = Duration::from_millis(200);

/// Lets the jobs started so far finish.
pub async fn settle() {
    tokio::time::sleep(JOB + Duration::from_millis(100)).await;
}

/// The operations called so far, as (API, operation name).
#[derive(Default)]
pub struct Calls(BTreeSet<(&'static str, &'static str)>);

impl Calls {
    /// The answer of `api`'s operation `name`, recorded as called; a
    /// failure panics naming the operation.
    pub fn ok<T, E: Into<Error>>(
        &mut self,
        api: &'static str,
        name: &'static str,
        r: Result<T, E>,
    ) -> T {
        let r = r.unwrap_or_else(|e| {
            let e: Error = e.into();
            panic!("{api} {name}: {e:?}")
        });
        self.0.insert((api, name));
        r
    }
}

/// MX Bank credentials (from `read_institution_credentials`) with this
/// password: the password decides the outcome (MX's test credentials).
pub fn credentials(
    fields: &[at::CredentialResponse],
    password: &str,
) -> Vec<at::CredentialRequest> {
    fields
        .iter()
        .map(|f| at::CredentialRequest {
            guid: f.guid.clone(),
            value: Some(match f.field_name.as_deref() {
                Some("PASSWORD") => password.into(),
                _ => "mxuser".into(),
            }),
            ..Default::default()
        })
        .collect()
}

pub fn guids<'a>(items: impl IntoIterator<Item = &'a Option<String>>) -> BTreeSet<String> {
    items.into_iter().flatten().cloned().collect()
}

#[tokio::test]
async fn every_operation_of_every_spec_decodes_through_the_generated_clients() {
    let started = std::time::Instant::now();
    let sim = mx_sim::start_with(
        Config {
            aggregation_time: JOB,
            job_time: JOB,
            ..Config::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let a = atrium_client(&sim);
    let n = nexus_client(&sim);
    let mut c = Calls::default();

    // Institutions: MX Bank supports statements, and its credential fields.
    let institutions = c
        .ok(
            "atrium",
            "list_institutions",
            a.list_institutions()
                .supports_account_statement(true)
                .send()
                .await,
        )
        .into_inner()
        .institutions;
    assert!(institutions
        .iter()
        .all(|i| i.supports_account_statement == Some(true)));
    assert!(institutions
        .iter()
        .any(|i| i.code.as_deref() == Some("mxbank")));
    let mxbank = c
        .ok(
            "atrium",
            "read_institution",
            a.read_institution().institution_code("mxbank").send().await,
        )
        .into_inner()
        .institution;
    assert_eq!(mxbank.name.as_deref(), Some("MX Bank"));
    let fields = c
        .ok(
            "atrium",
            "read_institution_credentials",
            a.read_institution_credentials()
                .institution_code("mxbank")
                .send()
                .await,
        )
        .into_inner()
        .credentials;
    let names: BTreeSet<_> = fields.iter().filter_map(|f| f.field_name.clone()).collect();
    assert_eq!(names, BTreeSet::from(["LOGIN".into(), "PASSWORD".into()]));
    // `display_order` (MX's credentials page), in the order listed.
    let orders: Vec<_> = fields.iter().map(|f| f.display_order).collect();
    assert_eq!(orders, [Some(1), Some(2)]);

    // A user.
    let user = c
        .ok(
            "atrium",
            "create_user",
            a.create_user()
                .body(at::UserCreateRequestBody::new(at::User {
                    identifier: Some("every-operation".into()),
                    ..Default::default()
                }))
                .send()
                .await,
        )
        .into_inner()
        .user;
    let u = user.guid.clone().unwrap();
    let users = c
        .ok(
            "atrium",
            "list_users",
            a.list_users().records_per_page(100).send().await,
        )
        .into_inner()
        .users;
    assert!(users.contains(&user));
    let read = c
        .ok(
            "atrium",
            "read_user",
            a.read_user().user_guid(&u).send().await,
        )
        .into_inner();
    assert_eq!(read.user, user);

    // A member with MX Bank's `password`: aggregates, then connects.
    let created = c.ok(
        "atrium",
        "create_member",
        a.create_member()
            .user_guid(&u)
            .body(at::MemberCreateRequestBody::new(at::MemberCreateRequest {
                credentials: credentials(&fields, "password"),
                ..at::MemberCreateRequest::new("mxbank")
            }))
            .send()
            .await,
    );
    assert_eq!(created.status().as_u16(), 202);
    let g = created.into_inner().member.guid.unwrap();
    settle().await;
    let status = c
        .ok(
            "atrium",
            "read_member_status",
            a.read_member_status()
                .user_guid(&u)
                .member_guid(&g)
                .send()
                .await,
        )
        .into_inner()
        .member;
    assert_eq!(status.connection_status, Some(ConnectionStatus::Connected));
    assert_eq!(status.is_being_aggregated, Some(false));
    let members = c
        .ok(
            "atrium",
            "list_members",
            a.list_members().user_guid(&u).send().await,
        )
        .into_inner()
        .members;
    assert_eq!(
        guids(members.iter().map(|m| &m.guid)),
        BTreeSet::from([g.clone()])
    );
    let member = c
        .ok(
            "atrium",
            "read_member",
            a.read_member().user_guid(&u).member_guid(&g).send().await,
        )
        .into_inner()
        .member;
    assert_eq!(member.institution_code.as_deref(), Some("mxbank"));
    let stored = c
        .ok(
            "atrium",
            "list_member_credentials",
            a.list_member_credentials()
                .user_guid(&u)
                .member_guid(&g)
                .send()
                .await,
        )
        .into_inner()
        .credentials;
    assert_eq!(
        guids(stored.iter().map(|c| &c.guid)),
        guids(fields.iter().map(|f| &f.guid))
    );

    data::read_the_members_data(&a, &mut c, &u, &g).await;
    flows::jobs(&a, &mut c, &u, &g).await;
    flows::mfa(&a, &mut c, &u, &fields).await;
    flows::oauth_and_connect_widget(&sim, &a, &mut c, &u).await;
    flows::nexus_member(&a, &n, &mut c, &fields).await;

    // Updates.
    let updated = c
        .ok(
            "atrium",
            "update_user",
            a.update_user()
                .user_guid(&u)
                .body(at::UserUpdateRequestBody::new(at::User {
                    metadata: Some("{\"tier\":2}".into()),
                    ..Default::default()
                }))
                .send()
                .await,
        )
        .into_inner()
        .user;
    assert_eq!(updated.metadata.as_deref(), Some("{\"tier\":2}"));
    assert_eq!(updated.identifier.as_deref(), Some("every-operation"));
    let renamed = c
        .ok(
            "atrium",
            "update_member",
            a.update_member()
                .user_guid(&u)
                .member_guid(&g)
                .body(at::MemberUpdateRequestBody::new(at::MemberUpdateRequest {
                    identifier: Some("renamed".into()),
                    ..Default::default()
                }))
                .send()
                .await,
        )
        .into_inner()
        .member;
    assert_eq!(renamed.identifier.as_deref(), Some("renamed"));

    // Deletes: the member, then the user, gone for every route.
    let gone = c.ok(
        "atrium",
        "delete_member",
        a.delete_member().user_guid(&u).member_guid(&g).send().await,
    );
    assert_eq!(gone.status().as_u16(), 204);
    let err: Error = a
        .list_member_accounts()
        .user_guid(&u)
        .member_guid(&g)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    c.ok(
        "atrium",
        "delete_user",
        a.delete_user().user_guid(&u).send().await,
    );
    let err: Error = a.read_user().user_guid(&u).send().await.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");

    let every: BTreeSet<(&str, &str)> = mx_client::__private::wire_of::<atrium::Client>()
        .operations
        .iter()
        .map(|o| ("atrium", o.name))
        .chain(
            mx_client::__private::wire_of::<nexus::Client>()
                .operations
                .iter()
                .map(|o| ("nexus", o.name)),
        )
        .collect();
    let missing: Vec<_> = every.difference(&c.0).collect();
    assert!(
        missing.is_empty(),
        "operations not called above: {missing:?}"
    );
    assert_eq!(c.0, every);
    assert!(c.0.len() >= 49, "48 Atrium operations and Nexus's one");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
