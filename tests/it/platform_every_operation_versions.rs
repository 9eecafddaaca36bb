//! `platform_every_operation`: what differs between the two Platform
//! versions, with the same functions in each version's module: request
//! bodies whose types differ (a field one version requires and the other
//! makes optional, a `String` the other types as an enum, a wrapper named
//! differently), calls whose parameters differ, and the operations only one
//! version has.

/// v20111101: MX's first Platform version.
#[cfg(feature = "platform-v20111101")]
pub mod v20111101 {
    use mx_client::platform::v20111101::{types, Client};

    use crate::platform_every_operation::{set, Calls, Ids};

    /// The user's accounts.
    pub async fn user_accounts(mx: &Client, c: &mut Calls, u: &str) -> Vec<types::AccountResponse> {
        c.body(
            "list_user_accounts",
            mx.list_user_accounts().user_guid(u).send().await,
        )
        .accounts
    }

    /// A manual savings account holding 120.
    pub fn manual_account(name: &str) -> types::AccountCreateRequestBody {
        types::AccountCreateRequestBody {
            account: Some(types::AccountCreateRequest {
                balance: Some(120.0),
                ..types::AccountCreateRequest::new("SAVINGS", name)
            }),
            ..Default::default()
        }
    }

    /// A transaction's new description.
    pub fn transaction_update(description: &str) -> types::TransactionUpdateRequestBody {
        types::TransactionUpdateRequestBody {
            transaction: Some(types::TransactionUpdateRequest {
                description: Some(description.into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    /// A manual debit of `amount` on 2025-03-01.
    pub fn manual_transaction(
        amount: f64,
        description: &str,
    ) -> types::TransactionCreateRequestBody {
        types::TransactionCreateRequestBody {
            transaction: Some(types::TransactionCreateRequest::new(
                amount,
                "2025-03-01",
                description,
                "DEBIT",
            )),
            ..Default::default()
        }
    }

    /// A rule filing transactions matching `matching` under `category`.
    pub fn transaction_rule(
        category: &str,
        matching: &str,
    ) -> types::TransactionRuleCreateRequestBody {
        types::TransactionRuleCreateRequestBody {
            transaction_rule: Some(types::TransactionRuleCreateRequest::new(category, matching)),
            ..Default::default()
        }
    }

    /// A goal to save 5000 in `account` for a vacation.
    pub fn goal(account: &str, name: &str) -> types::GoalRequestBody {
        types::GoalRequestBody {
            goal: Some(types::GoalRequest::new(
                account,
                5000.0,
                "SAVE_AMOUNT",
                "VACATION",
                name,
            )),
            ..Default::default()
        }
    }

    /// A microdeposit verification of an outside checking account.
    pub fn microdeposit() -> types::MicrodepositRequestBody {
        types::MicrodepositRequestBody {
            micro_deposit: Some(types::MicrodepositElements {
                account_name: Some("Rent account".into()),
                ..types::MicrodepositElements::new("3331261", "CHECKING", "091000019")
            }),
            ..Default::default()
        }
    }

    /// The monthly goals contribution (v20111101's spec names the wrapper
    /// `institution`).
    pub fn cash_flow(goals_contribution: f64) -> types::MonthlyCashFlowProfileRequestBody {
        types::MonthlyCashFlowProfileRequestBody {
            institution: Some(types::MonthlyCashFlowProfileRequest {
                goals_contribution: Some(goals_contribution),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    /// A posted managed debit of 61.11.
    pub fn managed_transaction(description: &str) -> types::ManagedTransactionCreateRequestBody {
        types::ManagedTransactionCreateRequestBody {
            transaction: Some(types::ManagedTransactionCreateRequest::new(
                "61.11",
                description,
                "2025-03-01T12:00:00Z",
                "POSTED",
                "2025-03-01T12:00:00Z",
                "DEBIT",
            )),
            ..Default::default()
        }
    }

    /// v20111101 takes the notification in the query.
    pub async fn create_notification(
        mx: &Client,
        c: &mut Calls,
        u: &str,
    ) -> types::NotificationResponse {
        let made = c.body(
            "create_notification",
            mx.create_notification()
                .user_guid(u)
                .content("Your balance is low")
                .subject("Low balance")
                .send()
                .await,
        );
        set(&made.notification, "notification").clone()
    }

    /// The widget URLs of the version: the generic widget's and the
    /// connect widget's.
    pub async fn widget_urls(mx: &Client, c: &mut Calls, u: &str) -> Vec<String> {
        let body = types::WidgetRequestBody {
            widget_url: Some(types::WidgetRequest::new("connect_widget")),
            ..Default::default()
        };
        let widget = c
            .body(
                "request_widget_url",
                mx.request_widget_url().user_guid(u).body(body).send().await,
            )
            .widget_url;
        let widget = set(&widget, "widget_url");
        assert_eq!(widget.type_.as_deref(), Some("connect_widget"));
        let body = types::ConnectWidgetRequestBody {
            config: Some(types::ConnectWidgetRequest {
                is_mobile_webview: Some(false),
                ..Default::default()
            }),
            ..Default::default()
        };
        let connect = c
            .body(
                "request_connect_widget_url",
                mx.request_connect_widget_url()
                    .user_guid(u)
                    .body(body)
                    .send()
                    .await,
            )
            .user;
        let connect = set(&connect, "user");
        assert_eq!(connect.guid.as_deref(), Some(u));
        vec![
            set(&widget.url, "url").clone(),
            set(&connect.connect_widget_url, "connect_widget_url").clone(),
        ]
    }

    /// The deprecated payment-processor authorization code, only here.
    pub async fn only_this_version(mx: &Client, c: &mut Calls, ids: &Ids) {
        let body = types::PaymentProcessorAuthorizationCodeRequestBody {
            payment_processor_authorization_code: Some(
                types::PaymentProcessorAuthorizationCodeRequest::new(
                    ids.checking.as_str(),
                    ids.member.as_str(),
                    ids.user.as_str(),
                ),
            ),
            ..Default::default()
        };
        let code = c
            .body(
                "deprecated_request_payment_processor_authorization_code",
                mx.deprecated_request_payment_processor_authorization_code()
                    .body(body)
                    .send()
                    .await,
            )
            .payment_processor_authorization_code;
        let code = set(&code, "payment_processor_authorization_code");
        assert!(
            code.authorization_code
                .as_ref()
                .is_some_and(|c| !c.is_empty()),
            "{code:?}"
        );
    }
}

/// v20250224: MX's current Platform version.
#[cfg(feature = "platform-v20250224")]
pub mod v20250224 {
    use std::collections::BTreeSet;

    use mx_client::platform::v20250224::{types, Client};
    use mx_client::Error;

    use crate::platform_every_operation::{guids, set, Calls, Ids};

    /// The user's accounts (v20250224 declares `Accept` a required header
    /// parameter here).
    pub async fn user_accounts(mx: &Client, c: &mut Calls, u: &str) -> Vec<types::AccountResponse> {
        c.body(
            "list_user_accounts",
            mx.list_user_accounts().user_identifier(u).send().await,
        )
        .accounts
    }

    /// A manual savings account holding 120.
    pub fn manual_account(name: &str) -> types::AccountCreateRequestBody {
        types::AccountCreateRequestBody {
            account: Some(types::AccountCreateRequest {
                account_type: Some("SAVINGS".into()),
                balance: Some(120.0),
                ..types::AccountCreateRequest::new(name)
            }),
            ..Default::default()
        }
    }

    /// A transaction's new description.
    pub fn transaction_update(description: &str) -> types::TransactionUpdateRequestBody {
        types::TransactionUpdateRequestBody {
            transaction: Some(types::TransactionUpdateRequest::new(description)),
            ..Default::default()
        }
    }

    /// A manual debit of `amount` on 2025-03-01.
    pub fn manual_transaction(
        amount: f64,
        description: &str,
    ) -> types::TransactionCreateRequestBody {
        types::TransactionCreateRequestBody {
            transaction: Some(types::TransactionCreateRequest {
                amount: Some(amount),
                ..types::TransactionCreateRequest::new("2025-03-01", description, "DEBIT")
            }),
            ..Default::default()
        }
    }

    /// A rule filing transactions matching `matching` under `category`.
    pub fn transaction_rule(
        category: &str,
        matching: &str,
    ) -> types::TransactionRuleCreateRequestBody {
        types::TransactionRuleCreateRequestBody {
            transaction_rule: Some(types::TransactionRuleCreateRequest {
                category_guid: Some(category.into()),
                ..types::TransactionRuleCreateRequest::new(matching)
            }),
            ..Default::default()
        }
    }

    /// A goal to save 5000 in `account` for a vacation.
    pub fn goal(account: &str, name: &str) -> types::GoalRequestBody {
        types::GoalRequestBody {
            goal: Some(types::GoalRequest {
                goal_type_name: Some("SAVE_AMOUNT".into()),
                ..types::GoalRequest::new(account, 5000.0, "VACATION", name)
            }),
            ..Default::default()
        }
    }

    /// A microdeposit verification of an outside checking account.
    pub fn microdeposit() -> types::MicrodepositRequestBody {
        types::MicrodepositRequestBody {
            micro_deposit: Some(types::MicrodepositElements {
                account_name: Some("Rent account".into()),
                account_type: Some("CHECKING".into()),
                ..types::MicrodepositElements::new("3331261", "091000019")
            }),
            ..Default::default()
        }
    }

    /// The monthly goals contribution.
    pub fn cash_flow(goals_contribution: f64) -> types::MonthlyCashFlowProfileRequestBody {
        types::MonthlyCashFlowProfileRequestBody {
            monthly_cash_flow_profile: Some(types::MonthlyCashFlowProfileRequest {
                goals_contribution: Some(goals_contribution),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    /// A posted managed debit of 61.11.
    pub fn managed_transaction(description: &str) -> types::ManagedTransactionCreateRequestBody {
        types::ManagedTransactionCreateRequestBody {
            transaction: Some(types::ManagedTransactionCreateRequest::new(
                "61.11",
                description,
                "2025-03-01T12:00:00Z",
                "POSTED",
                "2025-03-01T12:00:00Z",
                "DEBIT",
            )),
            ..Default::default()
        }
    }

    /// v20250224 takes the notification as the body.
    pub async fn create_notification(
        mx: &Client,
        c: &mut Calls,
        u: &str,
    ) -> types::NotificationResponse {
        let body = types::NotificationRequestBody {
            notification: Some(types::NotificationRequest::new(
                "Your balance is low",
                "Low balance",
            )),
            ..Default::default()
        };
        let made = c.body(
            "create_notification",
            mx.create_notification()
                .user_guid(u)
                .body(body)
                .send()
                .await,
        );
        set(&made.notification, "notification").clone()
    }

    /// The widget URLs of the version: the generic widget's (v20250224 has
    /// no connect-widget operation of its own).
    pub async fn widget_urls(mx: &Client, c: &mut Calls, u: &str) -> Vec<String> {
        let body = types::RequestWidgetUrlBody {
            widget_url: Some(types::WidgetRequest::new("connect_widget")),
            ..Default::default()
        };
        let widget = c
            .body(
                "request_widget_url",
                mx.request_widget_url().user_guid(u).body(body).send().await,
            )
            .widget_url;
        let widget = set(&widget, "widget_url");
        assert_eq!(
            widget.type_.as_ref().map(ToString::to_string).as_deref(),
            Some("connect_widget")
        );
        vec![set(&widget.url, "url").clone()]
    }

    /// Merging accounts, the transactions of an account through its member,
    /// and splitting a transaction through its account: only here.
    pub async fn only_this_version(mx: &Client, c: &mut Calls, ids: &Ids) {
        let (u, g, a) = (
            ids.user.as_str(),
            ids.member.as_str(),
            ids.checking.as_str(),
        );
        let listed = c
            .body(
                "list_transactions_by_account_per_member",
                mx.list_transactions_by_account_per_member()
                    .user_guid(u)
                    .member_guid(g)
                    .account_guid(a)
                    .records_per_page(1000)
                    .send()
                    .await,
            )
            .transactions;
        assert!(!listed.is_empty());
        assert!(listed.iter().all(|t| t.account_guid.as_deref() == Some(a)));
        let in_account = mx
            .list_transactions_by_account()
            .user_guid(u)
            .account_guid(a)
            .records_per_page(1000);
        let in_account = in_account.send().await.unwrap().into_inner().transactions;
        assert_eq!(
            guids(listed.iter().map(|t| &t.guid)),
            guids(in_account.iter().map(|t| &t.guid))
        );
        // Another transaction than the one split through the user's route.
        let other = listed
            .iter()
            .find(|t| t.guid.as_ref() != Some(&ids.transaction))
            .and_then(|t| t.guid.clone())
            .expect("a second checking transaction");
        let read = c
            .body(
                "read_transaction_by_account",
                mx.read_transaction_by_account()
                    .user_identifier(u)
                    .member_identifier(g)
                    .account_identifier(a)
                    .transaction_identifier(&other)
                    .send()
                    .await,
            )
            .transaction;
        assert_eq!(set(&read, "transaction").guid.as_ref(), Some(&other));
        split_by_account(mx, c, ids, &other).await;
        merge(mx, c, u).await;
    }

    /// A transaction split through its account's route, then unsplit.
    async fn split_by_account(mx: &Client, c: &mut Calls, ids: &Ids, t: &str) {
        let (u, g, a) = (
            ids.user.as_str(),
            ids.member.as_str(),
            ids.checking.as_str(),
        );
        let body = types::SplitTransactionRequestBody::new(types::SplitTransactionRequest {
            description: Some("Groceries".into()),
            ..types::SplitTransactionRequest::new(1.5)
        });
        let split = c
            .body(
                "create_split_transactions_by_account",
                mx.create_split_transactions_by_account()
                    .user_identifier(u)
                    .member_identifier(g)
                    .account_identifier(a)
                    .transaction_identifier(t)
                    .body(body)
                    .send()
                    .await,
            )
            .transactions;
        assert!(!split.is_empty());
        assert!(
            split.iter().all(|s| s.guid.is_some() && s.amount.is_some()),
            "{split:?}"
        );
        assert!(split.iter().any(|s| s.amount == Some(1.5)), "{split:?}");
        let gone = c.ok(
            "delete_split_transaction_by_account",
            mx.delete_split_transaction_by_account()
                .user_identifier(u)
                .member_identifier(g)
                .account_identifier(a)
                .transaction_identifier(t)
                .send()
                .await,
        );
        assert_eq!(gone.status().as_u16(), 204);
    }

    /// Two manual accounts merged into one: the answer is the account kept,
    /// the other is gone.
    async fn merge(mx: &Client, c: &mut Calls, u: &str) {
        let mut made = BTreeSet::new();
        for name in ["Jar A", "Jar B"] {
            let account = mx
                .create_manual_account()
                .user_identifier(u)
                .body(manual_account(name));
            let account = account.send().await.unwrap().into_inner().account.unwrap();
            made.insert(account.guid.unwrap());
        }
        let body = types::AccountsMergeRequestBody {
            account: Some(types::AccountsMergeRequest::new(
                made.iter().cloned().collect::<Vec<_>>(),
            )),
            ..Default::default()
        };
        let merged = c
            .body(
                "merge_accounts",
                mx.merge_accounts().user_guid(u).body(body).send().await,
            )
            .account;
        let merged = set(&merged, "merge_accounts: account");
        let kept = set(&merged.guid, "merge_accounts: account.guid");
        assert!(made.contains(kept), "{merged:?}");
        // "Any other accounts you provided that were not included in the
        // response will be deleted" (the operation's description).
        for other in made.iter().filter(|a| *a != kept) {
            let err = mx
                .read_account()
                .user_guid(u)
                .account_guid(other)
                .send()
                .await
                .unwrap_err();
            assert!(matches!(err, Error::NotFound(_)), "{err:?}");
        }
    }
}
