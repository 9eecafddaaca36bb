//! Every operation of every spec, called through the generated clients
//! against the simulator in an integrator's order, each answer decoded into
//! the generated types, with the values checked across routes. Calling a
//! set of operations that is not all of `WIRE.operations` fails the test, so
//! an operation added to a spec must be added here.

use std::collections::BTreeSet;
use std::time::Duration;

use futures_util::TryStreamExt;
use mx_client::atrium::{self, types as at};
use mx_client::nexus::{self, types as nt};
use mx_client::{ConnectionStatus, Error};
use mx_sim::{Config, DEMO_USER_GUID};

use crate::common::{atrium_client, nexus_client};

/// How long the simulator's jobs run here (its `Config`).
const JOB: Duration = Duration::from_millis(60);
const MXBANK_GUID: &str = "INS-68e96dd6-eabd-42d3-9f05-416897f0746c";

/// Lets the jobs started so far finish.
async fn settle() {
    tokio::time::sleep(JOB + Duration::from_millis(60)).await;
}

/// MX Bank credentials (from `read_institution_credentials`) with this
/// password: the password decides the outcome (MX's test credentials).
fn credentials(fields: &[at::CredentialResponse], password: &str) -> Vec<at::CredentialRequest> {
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

fn guids<'a>(items: impl IntoIterator<Item = &'a Option<String>>) -> BTreeSet<String> {
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
    let mut called: BTreeSet<(&str, &str)> = BTreeSet::new();
    // Sends, records the operation as called, and answers the decoded
    // `ResponseValue` (a failure names the operation).
    macro_rules! call {
        ($api:literal, $name:literal, $e:expr) => {{
            let r = $e.send().await.unwrap_or_else(|e| {
                let e: Error = e.into();
                panic!("{} {}: {e:?}", $api, $name)
            });
            called.insert(($api, $name));
            r
        }};
    }

    // Institutions: MX Bank supports statements, and its credential fields.
    let institutions = call!(
        "atrium",
        "list_institutions",
        a.list_institutions().supports_account_statement(true)
    )
    .into_inner()
    .institutions;
    assert!(institutions
        .iter()
        .all(|i| i.supports_account_statement == Some(true)));
    assert!(institutions
        .iter()
        .any(|i| i.code.as_deref() == Some("mxbank")));
    let mxbank = call!(
        "atrium",
        "read_institution",
        a.read_institution().institution_code("mxbank")
    )
    .into_inner()
    .institution;
    assert_eq!(mxbank.name.as_deref(), Some("MX Bank"));
    let fields = call!(
        "atrium",
        "read_institution_credentials",
        a.read_institution_credentials().institution_code("mxbank")
    )
    .into_inner()
    .credentials;
    let names: BTreeSet<_> = fields.iter().filter_map(|f| f.field_name.clone()).collect();
    assert_eq!(names, BTreeSet::from(["LOGIN".into(), "PASSWORD".into()]));

    // A user.
    let user = call!(
        "atrium",
        "create_user",
        a.create_user().body_map(|b| b.user(at::User {
            identifier: Some("every-operation".into()),
            ..Default::default()
        }))
    )
    .into_inner()
    .user;
    let u = user.guid.clone().unwrap();
    let users = call!("atrium", "list_users", a.list_users().records_per_page(100))
        .into_inner()
        .users;
    assert!(users.contains(&user));
    let read = call!("atrium", "read_user", a.read_user().user_guid(&u)).into_inner();
    assert_eq!(read.user, user);

    // A member with MX Bank's `password`: aggregates, then connects.
    let created = call!(
        "atrium",
        "create_member",
        a.create_member()
            .user_guid(&u)
            .body_map(|b| b.member(at::MemberCreateRequest {
                credentials: credentials(&fields, "password"),
                ..at::MemberCreateRequest::new("mxbank")
            }))
    );
    assert_eq!(created.status().as_u16(), 202);
    let g = created.into_inner().member.guid.unwrap();
    settle().await;
    let status = call!(
        "atrium",
        "read_member_status",
        a.read_member_status().user_guid(&u).member_guid(&g)
    )
    .into_inner()
    .member;
    assert_eq!(status.connection_status, Some(ConnectionStatus::Connected));
    assert_eq!(status.is_being_aggregated, Some(false));
    let members = call!("atrium", "list_members", a.list_members().user_guid(&u))
        .into_inner()
        .members;
    assert_eq!(
        guids(members.iter().map(|m| &m.guid)),
        BTreeSet::from([g.clone()])
    );
    let member = call!(
        "atrium",
        "read_member",
        a.read_member().user_guid(&u).member_guid(&g)
    )
    .into_inner()
    .member;
    assert_eq!(member.institution_code.as_deref(), Some("mxbank"));
    let stored = call!(
        "atrium",
        "list_member_credentials",
        a.list_member_credentials().user_guid(&u).member_guid(&g)
    )
    .into_inner()
    .credentials;
    assert_eq!(
        guids(stored.iter().map(|c| &c.guid)),
        guids(fields.iter().map(|f| &f.guid))
    );

    // Its accounts: MX Bank's four kinds, the same through every route.
    let accounts = call!(
        "atrium",
        "list_member_accounts",
        a.list_member_accounts().user_guid(&u).member_guid(&g)
    )
    .into_inner()
    .accounts;
    let kinds: BTreeSet<_> = accounts.iter().filter_map(|a| a.type_.clone()).collect();
    let want = ["CHECKING", "CREDIT_CARD", "INVESTMENT", "SAVINGS"];
    assert_eq!(kinds, want.iter().map(|k| k.to_string()).collect());
    assert!(accounts
        .iter()
        .all(|x| x.member_guid.as_deref() == Some(&g)));
    let account_guids = guids(accounts.iter().map(|a| &a.guid));
    let by_user = call!(
        "atrium",
        "list_user_accounts",
        a.list_user_accounts().user_guid(&u)
    )
    .into_inner()
    .accounts;
    assert_eq!(guids(by_user.iter().map(|a| &a.guid)), account_guids);
    let checking = accounts
        .iter()
        .find(|x| x.type_.as_deref() == Some("CHECKING"))
        .unwrap();
    let investment = accounts
        .iter()
        .find(|x| x.type_.as_deref() == Some("INVESTMENT"))
        .unwrap();
    let c = checking.guid.clone().unwrap();
    let read = call!(
        "atrium",
        "read_account",
        a.read_account().user_guid(&u).account_guid(&c)
    )
    .into_inner()
    .account;
    assert_eq!(&read, checking);
    let read = call!(
        "atrium",
        "read_account_by_member_guid",
        a.read_account_by_member_guid()
            .user_guid(&u)
            .member_guid(&g)
            .account_guid(&c)
    )
    .into_inner()
    .account;
    assert_eq!(&read, checking);

    // Transactions: they refer to the member's accounts.
    let txns = call!(
        "atrium",
        "list_member_transactions",
        a.list_member_transactions().user_guid(&u).member_guid(&g)
    )
    .into_inner()
    .transactions;
    assert!(!txns.is_empty());
    for t in &txns {
        assert!(
            account_guids.contains(t.account_guid.as_deref().unwrap()),
            "{t:?}"
        );
    }
    let by_user = call!(
        "atrium",
        "list_user_transactions",
        a.list_user_transactions().user_guid(&u)
    )
    .into_inner()
    .transactions;
    assert_eq!(
        guids(by_user.iter().map(|t| &t.guid)),
        guids(txns.iter().map(|t| &t.guid))
    );
    let in_checking = call!(
        "atrium",
        "list_account_transactions",
        a.list_account_transactions().user_guid(&u).account_guid(&c)
    )
    .into_inner()
    .transactions;
    assert!(!in_checking.is_empty());
    assert!(in_checking
        .iter()
        .all(|t| t.account_guid.as_deref() == Some(c.as_str())));
    let txn = &in_checking[0];
    let read = call!(
        "atrium",
        "read_transaction",
        a.read_transaction()
            .user_guid(&u)
            .transaction_guid(txn.guid.as_deref().unwrap())
    )
    .into_inner()
    .transaction;
    assert_eq!(&read, txn);

    // Holdings: the investment account's.
    let holdings = call!("atrium", "list_holdings", a.list_holdings().user_guid(&u))
        .into_inner()
        .holdings;
    assert!(!holdings.is_empty());
    assert!(holdings.iter().all(|h| h.account_guid == investment.guid));
    let by_member = call!(
        "atrium",
        "list_holdings_by_member",
        a.list_holdings_by_member().user_guid(&u).member_guid(&g)
    )
    .into_inner()
    .holdings;
    assert_eq!(by_member, holdings);
    let by_account = call!(
        "atrium",
        "list_holdings_by_account",
        a.list_holdings_by_account()
            .user_guid(&u)
            .account_guid(investment.guid.as_deref().unwrap())
    )
    .into_inner()
    .holdings;
    assert_eq!(by_account, holdings);
    let read = call!(
        "atrium",
        "read_holding",
        a.read_holding()
            .user_guid(&u)
            .holding_guid(holdings[0].guid.as_deref().unwrap())
    )
    .into_inner()
    .holding;
    assert_eq!(read, holdings[0]);

    // Statements, and the PDF.
    let statements = call!(
        "atrium",
        "list_member_statements",
        a.list_member_statements().user_guid(&u).member_guid(&g)
    )
    .into_inner()
    .statements;
    assert!(!statements.is_empty());
    assert!(statements
        .iter()
        .all(|s| account_guids.contains(s.account_guid.as_deref().unwrap())));
    let s = statements[0].guid.clone().unwrap();
    let read = call!(
        "atrium",
        "read_member_statement",
        a.read_member_statement()
            .user_guid(&u)
            .member_guid(&g)
            .statement_guid(&s)
    )
    .into_inner()
    .statement;
    assert_eq!(read, statements[0]);
    let pdf = call!(
        "atrium",
        "download_statement_pdf",
        a.download_statement_pdf()
            .user_guid(&u)
            .member_guid(&g)
            .statement_guid(&s)
    );
    let pdf: Vec<u8> = pdf
        .into_inner_stream()
        .map_ok(|b| b.to_vec())
        .try_concat()
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "{:?}", &pdf[..pdf.len().min(16)]);
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));

    // Account numbers and owners.
    let numbers = call!(
        "atrium",
        "list_account_numbers",
        a.list_account_numbers().user_guid(&u).member_guid(&g)
    )
    .into_inner()
    .account_numbers;
    assert!(!numbers.is_empty());
    assert!(numbers
        .iter()
        .all(|x| account_guids.contains(x.account_guid.as_deref().unwrap())));
    let of_checking = call!(
        "atrium",
        "list_account_numbers_by_account",
        a.list_account_numbers_by_account()
            .user_guid(&u)
            .account_guid(&c)
    )
    .into_inner()
    .account_numbers;
    assert_eq!(of_checking.len(), 1);
    assert_eq!(of_checking[0].account_guid.as_deref(), Some(c.as_str()));
    assert!(numbers.contains(&of_checking[0]));
    let owners = call!(
        "atrium",
        "list_account_owners",
        a.list_account_owners().user_guid(&u).member_guid(&g)
    )
    .into_inner()
    .account_owners;
    assert!(!owners.is_empty());
    assert!(owners
        .iter()
        .all(|o| account_guids.contains(o.account_guid.as_deref().unwrap())));

    // Merchants: the one a transaction names, and its locations.
    let m = txn.merchant_guid.clone().unwrap();
    let merchants = call!(
        "atrium",
        "list_merchants",
        a.list_merchants().records_per_page(100)
    )
    .into_inner()
    .merchants;
    assert!(merchants
        .iter()
        .any(|x| x.guid.as_deref() == Some(m.as_str())));
    let merchant = call!(
        "atrium",
        "read_merchant",
        a.read_merchant().merchant_guid(&m)
    )
    .into_inner()
    .merchant;
    assert_eq!(merchant.guid.as_deref(), Some(m.as_str()));
    assert_eq!(merchant.name, txn.description);
    let locations = call!(
        "atrium",
        "list_merchant_locations",
        a.list_merchant_locations().merchant_guid(&m)
    )
    .into_inner()
    .merchant_locations;
    assert!(!locations.is_empty());
    assert!(locations
        .iter()
        .all(|l| l.merchant_guid.as_deref() == Some(m.as_str())));
    let location = call!(
        "atrium",
        "read_merchant_location",
        a.read_merchant_location()
            .merchant_guid(&m)
            .merchant_location_guid(locations[0].guid.as_deref().unwrap())
    )
    .into_inner()
    .merchant_location;
    assert_eq!(location, locations[0]);
    let cleansed = call!(
        "atrium",
        "cleanse_and_categorize_transactions",
        a.cleanse_and_categorize_transactions()
            .body_map(
                |b| b.transactions(vec![at::TransactionCleanseAndCategorizeRequest {
                    amount: txn.amount,
                    description: txn.original_description.clone(),
                    identifier: Some("12".into()),
                    type_: txn.type_.clone(),
                    ..Default::default()
                }])
            )
    )
    .into_inner()
    .transactions;
    assert_eq!(cleansed.len(), 1);
    assert_eq!(cleansed[0].identifier.as_deref(), Some("12"));
    assert_eq!(cleansed[0].merchant_guid.as_deref(), Some(m.as_str()));
    assert_eq!(cleansed[0].category, txn.category);

    // Jobs, one after the other: 200 when started, 202 with the member for
    // the same job again while it runs, 409 while another type runs.
    let started_job = call!(
        "atrium",
        "aggregate_member",
        a.aggregate_member().user_guid(&u).member_guid(&g)
    );
    assert_eq!(started_job.status().as_u16(), 200);
    let again = call!(
        "atrium",
        "aggregate_member",
        a.aggregate_member().user_guid(&u).member_guid(&g)
    );
    assert_eq!(again.status().as_u16(), 202);
    assert_eq!(again.into_inner().member.guid.as_deref(), Some(g.as_str()));
    let err: Error = a
        .aggregate_member_balances()
        .user_guid(&u)
        .member_guid(&g)
        .send()
        .await
        .unwrap_err()
        .into();
    assert!(
        matches!(&err, Error::Conflict(e) if e.status == 409),
        "{err:?}"
    );
    settle().await;
    macro_rules! job {
        ($name:literal, $builder:ident) => {{
            let r = call!("atrium", $name, a.$builder().user_guid(&u).member_guid(&g));
            assert_eq!(r.status().as_u16(), 200, $name);
            assert_eq!(r.into_inner().member.guid.as_deref(), Some(g.as_str()));
            settle().await;
        }};
    }
    job!("aggregate_member_balances", aggregate_member_balances);
    job!("extend_history", extend_history);
    job!("fetch_statements", fetch_statements);
    job!("identify_member", identify_member);
    job!("verify_member", verify_member);

    // MFA: MX Bank's `challenge` password, answered with `correct`.
    let challenged = call!(
        "atrium",
        "create_member",
        a.create_member()
            .user_guid(&u)
            .body_map(|b| b.member(at::MemberCreateRequest {
                credentials: credentials(&fields, "challenge"),
                ..at::MemberCreateRequest::new("mxbank")
            }))
    )
    .into_inner()
    .member
    .guid
    .unwrap();
    settle().await;
    let challenges = call!(
        "atrium",
        "list_member_mfa_challenges",
        a.list_member_mfa_challenges()
            .user_guid(&u)
            .member_guid(&challenged)
    );
    assert_eq!(challenges.status().as_u16(), 200);
    let challenges = challenges.into_inner().challenges;
    assert_eq!(challenges.len(), 1);
    assert_eq!(challenges[0].type_.as_deref(), Some("TEXT"));
    let resumed = call!(
        "atrium",
        "resume_member",
        a.resume_member()
            .user_guid(&u)
            .member_guid(&challenged)
            .body_map(|b| b.member(at::MemberResumeRequest {
                challenges: vec![at::CredentialRequest {
                    guid: challenges[0].guid.clone(),
                    value: Some("correct".into()),
                    ..Default::default()
                }],
                ..Default::default()
            }))
    )
    .into_inner()
    .member;
    assert_eq!(resumed.connection_status, Some(ConnectionStatus::Resumed));
    settle().await;
    let status = a
        .read_member_status()
        .user_guid(&u)
        .member_guid(&challenged)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(status.connection_status, Some(ConnectionStatus::Connected));

    // OAuth: a fresh one-time window.
    let oauth = call!(
        "atrium",
        "create_member",
        a.create_member()
            .user_guid(&u)
            .body_map(|b| b.member(at::MemberCreateRequest {
                is_oauth: Some(true),
                ..at::MemberCreateRequest::new("mxbank_oauth")
            }))
    )
    .into_inner()
    .member;
    assert_eq!(oauth.connection_status, Some(ConnectionStatus::Pending));
    let window = call!(
        "atrium",
        "read_o_auth_window_uri",
        a.read_o_auth_window_uri()
            .user_guid(&u)
            .member_guid(oauth.guid.as_deref().unwrap())
    )
    .into_inner()
    .member;
    let uri = window.oauth_window_uri.clone().unwrap();
    assert_ne!(Some(&uri), oauth.oauth_window_uri.as_ref());
    assert_eq!(reqwest::get(&uri).await.unwrap().status().as_u16(), 200);

    // The connect widget URL: one-time.
    let widget = call!(
        "atrium",
        "get_connect_widget",
        a.get_connect_widget()
            .user_guid(&u)
            .body(at::ConnectWidgetRequestBody {
                is_mobile_webview: Some(false),
                ..Default::default()
            })
    )
    .into_inner()
    .user;
    let url = widget.connect_widget_url.unwrap();
    assert!(
        url.starts_with(&format!("http://{}/connect/", sim.addr())),
        "{url}"
    );
    assert_eq!(reqwest::get(&url).await.unwrap().status().as_u16(), 200);
    assert_eq!(reqwest::get(&url).await.unwrap().status().as_u16(), 410);

    // Nexus: a member of the session's user, the same member in Atrium.
    let nexus_member = call!(
        "nexus",
        "create_member",
        n.create_member().body(nt::MemberCreateRequestBody {
            member: Some(nt::MemberCreateRequest {
                credentials: fields
                    .iter()
                    .map(|f| nt::MemberCreateRequestCredentialsItem {
                        credential_guid: f.guid.clone(),
                        value: Some("nexus".into()),
                        ..Default::default()
                    })
                    .collect(),
                ..nt::MemberCreateRequest::new(MXBANK_GUID)
            }),
            ..Default::default()
        })
    )
    .into_inner()
    .member
    .unwrap();
    let ng = nexus_member.guid.unwrap();
    let in_atrium = a
        .read_member()
        .user_guid(DEMO_USER_GUID)
        .member_guid(&ng)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(in_atrium.user_guid.as_deref(), Some(DEMO_USER_GUID));

    // Updates.
    let updated = call!(
        "atrium",
        "update_user",
        a.update_user().user_guid(&u).body_map(|b| b.user(at::User {
            metadata: Some("{\"tier\":2}".into()),
            ..Default::default()
        }))
    )
    .into_inner()
    .user;
    assert_eq!(updated.metadata.as_deref(), Some("{\"tier\":2}"));
    assert_eq!(updated.identifier.as_deref(), Some("every-operation"));
    let renamed = call!(
        "atrium",
        "update_member",
        a.update_member()
            .user_guid(&u)
            .member_guid(&g)
            .body_map(|b| b.member(at::MemberUpdateRequest {
                identifier: Some("renamed".into()),
                ..Default::default()
            }))
    )
    .into_inner()
    .member;
    assert_eq!(renamed.identifier.as_deref(), Some("renamed"));

    // Deletes: the member, then the user, gone for every route.
    let gone = call!(
        "atrium",
        "delete_member",
        a.delete_member().user_guid(&u).member_guid(&g)
    );
    assert_eq!(gone.status().as_u16(), 204);
    let err: Error = a
        .list_member_accounts()
        .user_guid(&u)
        .member_guid(&g)
        .send()
        .await
        .unwrap_err()
        .into();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    call!("atrium", "delete_user", a.delete_user().user_guid(&u));
    let err: Error = a.read_user().user_guid(&u).send().await.unwrap_err().into();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");

    let every: BTreeSet<(&str, &str)> = atrium::WIRE
        .operations
        .iter()
        .map(|o| ("atrium", o.name))
        .chain(nexus::WIRE.operations.iter().map(|o| ("nexus", o.name)))
        .collect();
    let missing: Vec<_> = every.difference(&called).collect();
    assert!(
        missing.is_empty(),
        "operations not called above: {missing:?}"
    );
    assert_eq!(called, every);
    assert!(called.len() >= 49, "48 Atrium operations and Nexus's one");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
