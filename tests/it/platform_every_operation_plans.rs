//! `platform_every_operation`: the user's plans: budgets (generated and
//! made), goals (and their order), notifications, and a spending plan with
//! its accounts, iterations and iteration items; deleted with the other
//! deletes, last.

use crate::platform_every_operation::for_each_version;

/// What the plans step made, deleted by the delete step.
#[derive(Debug, Default)]
pub struct Planned {
    pub budget: String,
    pub goal: String,
    pub plan: String,
    pub plan_account: String,
    pub item: String,
}

macro_rules! plans {
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
            use mx_client::Error;
            use $api::{types, Client};

            use crate::platform_every_operation::{guids, set, Calls, Ids};
            use crate::platform_every_operation_plans::Planned;
            use crate::platform_every_operation_versions::$module as versions;

            /// Every plan of this step, made and read.
            pub async fn plans(mx: &Client, c: &mut Calls, ids: &Ids) -> Planned {
                let mut planned = Planned {
                    budget: budgets(mx, c, ids).await,
                    goal: goals(mx, c, ids).await,
                    ..Planned::default()
                };
                notifications(mx, c, ids).await;
                (planned.plan, planned.plan_account) = spending_plan(mx, c, ids).await;
                planned.item = iteration_items(mx, c, ids, &planned.plan).await;
                planned
            }

            /// Budgets MX generates from the user's spending, and one for the
            /// transaction's category.
            async fn budgets(mx: &Client, c: &mut Calls, ids: &Ids) -> String {
                let u = ids.user.as_str();
                let generated = c
                    .body(
                        "auto_generate_budgets",
                        mx.auto_generate_budgets().user_guid(u).send().await,
                    )
                    .budget;
                let generated = set(&generated, "budget").clone();
                assert!(
                    generated.guid.is_some() && generated.category_guid.is_some(),
                    "{generated:?}"
                );
                let category = mx
                    .read_default_category()
                    .category_guid(&ids.category)
                    .send()
                    .await
                    .unwrap();
                let category = category.into_inner().category.unwrap();
                let parent = category.parent_guid.unwrap_or_else(|| ids.category.clone());
                let body = types::BudgetCreateRequestBody {
                    budget: Some(types::BudgetCreateRequest {
                        amount: Some(150.0),
                        ..types::BudgetCreateRequest::new(ids.category.as_str(), parent.as_str())
                    }),
                    ..Default::default()
                };
                let made = c
                    .body(
                        "create_budget",
                        mx.create_budget().user_guid(u).body(body).send().await,
                    )
                    .budget;
                let made = set(&made, "budget").clone();
                assert_eq!(made.category_guid.as_ref(), Some(&ids.category));
                assert_eq!(made.amount, Some(150.0));
                let b = made.guid.clone().unwrap();
                let all = c
                    .body(
                        "list_all_budgets",
                        mx.list_all_budgets().user_guid(u).send().await,
                    )
                    .budgets;
                assert!(all.contains(&made) && all.contains(&generated), "{all:?}");
                let read = c.body(
                    "read_specific_budget",
                    mx.read_specific_budget()
                        .user_guid(u)
                        .budget_guid(&b)
                        .send()
                        .await,
                );
                assert_eq!(read.budget.as_ref(), Some(&made));
                let body = types::BudgetUpdateRequestBody {
                    budget: Some(types::BudgetUpdateRequest {
                        amount: Some(200.0),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let updated = c
                    .body(
                        "update_specific_budget",
                        mx.update_specific_budget()
                            .user_guid(u)
                            .budget_guid(&b)
                            .body(body)
                            .send()
                            .await,
                    )
                    .budget;
                assert_eq!(set(&updated, "budget").amount, Some(200.0));
                b
            }

            /// Two goals on the savings account, the second moved first: the
            /// answer holds the goals at their new `position` ("The priority
            /// of the goal in relation to multiple goals",
            /// https://docs.mx.com/api-reference/platform-api/reference/goals).
            async fn goals(mx: &Client, c: &mut Calls, ids: &Ids) -> String {
                let u = ids.user.as_str();
                let mut made = Vec::new();
                for name in ["Trip to Japan", "New bike"] {
                    let body = versions::goal(&ids.savings, name);
                    let goal = c
                        .body(
                            "create_goal",
                            mx.create_goal().user_guid(u).body(body).send().await,
                        )
                        .goal;
                    let goal = set(&goal, "goal");
                    assert_eq!(goal.name.as_deref(), Some(name));
                    assert_eq!(goal.account_guid.as_ref(), Some(&ids.savings));
                    assert_eq!(goal.amount, Some(5000.0));
                    made.push(goal.guid.clone().unwrap());
                }
                let listed = c
                    .body("list_goals", mx.list_goals().user_guid(u).send().await)
                    .goals;
                assert_eq!(
                    guids(listed.iter().map(|g| &g.guid)),
                    made.iter().cloned().collect()
                );
                let read = c
                    .body(
                        "read_goal",
                        mx.read_goal().user_guid(u).goal_guid(&made[0]).send().await,
                    )
                    .goal;
                let read = set(&read, "goal");
                assert_eq!(read.guid.as_ref(), Some(&made[0]));
                assert_eq!(read.name.as_deref(), Some("Trip to Japan"));
                let body = types::UpdateGoalRequestBody {
                    goal: Some(types::UpdateGoalRequest {
                        amount: Some(6000.0),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let updated = c
                    .body(
                        "update_goal",
                        mx.update_goal()
                            .user_guid(u)
                            .goal_guid(&made[0])
                            .body(body)
                            .send()
                            .await,
                    )
                    .goal;
                assert_eq!(set(&updated, "goal").amount, Some(6000.0));
                let body = types::RepositionRequestBody {
                    goals: vec![
                        types::RepositionRequest::new(made[1].as_str(), 1),
                        types::RepositionRequest::new(made[0].as_str(), 2),
                    ],
                    ..Default::default()
                };
                let moved = c
                    .body(
                        "reposition_goals",
                        mx.reposition_goals().user_guid(u).body(body).send().await,
                    )
                    .goals;
                let position = |g: &String| {
                    moved
                        .iter()
                        .find(|x| x.guid.as_ref() == Some(g))
                        .and_then(|x| x.position)
                };
                assert_eq!(
                    (position(&made[1]), position(&made[0])),
                    (Some(1), Some(2)),
                    "{moved:?}"
                );
                made.swap_remove(0)
            }

            /// A notification of the user's, listed and read back.
            async fn notifications(mx: &Client, c: &mut Calls, ids: &Ids) {
                let u = ids.user.as_str();
                let made = versions::create_notification(mx, c, u).await;
                assert_eq!(made.content.as_deref(), Some("Your balance is low"));
                let g = made
                    .guid
                    .as_ref()
                    .and_then(|g| g.as_str())
                    .expect("the notification's guid")
                    .to_string();
                let listed = c
                    .body(
                        "list_notifications",
                        mx.list_notifications().user_guid(u).send().await,
                    )
                    .notifications;
                assert!(listed.contains(&made), "{listed:?}");
                let read = c.body(
                    "read_notifications",
                    mx.read_notifications()
                        .user_guid(u)
                        .notification_guid(&g)
                        .send()
                        .await,
                );
                assert_eq!(read.notification.as_ref(), Some(&made));
            }

            /// A spending plan: its iterations (the current one by number
            /// too) and the accounts it covers.
            async fn spending_plan(mx: &Client, c: &mut Calls, ids: &Ids) -> (String, String) {
                let u = ids.user.as_str();
                let plan = c.body(
                    "create_spending_plan",
                    mx.create_spending_plan().user_guid(u).send().await,
                );
                let p = set(&plan.guid, "guid").clone();
                let current = *set(&plan.current_iteration_number, "current_iteration_number");
                let listed = c
                    .body(
                        "list_spending_plans",
                        mx.list_spending_plans().user_guid(u).send().await,
                    )
                    .spending_plans;
                assert!(listed.contains(&plan), "{listed:?}");
                let read = c.body(
                    "read_spending_plan_user",
                    mx.read_spending_plan_user()
                        .user_guid(u)
                        .spending_plan_guid(&p)
                        .send()
                        .await,
                );
                assert_eq!(read, plan);
                let iterations = c
                    .body(
                        "list_spending_plan_iterations",
                        mx.list_spending_plan_iterations()
                            .user_guid(u)
                            .spending_plan_guid(&p)
                            .send()
                            .await,
                    )
                    .iterations;
                assert!(iterations
                    .iter()
                    .all(|i| i.spending_plan_guid.as_ref() == Some(&p) && i.start_on.is_some()));
                let now = c.body(
                    "read_current_spending_plan_iteration",
                    mx.read_current_spending_plan_iteration()
                        .user_guid(u)
                        .spending_plan_guid(&p)
                        .send()
                        .await,
                );
                assert_eq!(now.iteration_number, Some(current));
                assert!(iterations.contains(&now), "{iterations:?}");
                let by_number = c.body(
                    "read_spending_plan_iteration",
                    mx.read_spending_plan_iteration()
                        .user_guid(u)
                        .spending_plan_guid(&p)
                        .iteration_number(current)
                        .send()
                        .await,
                );
                assert_eq!(by_number, now);
                let accounts = c
                    .body(
                        "list_spending_plan_accounts",
                        mx.list_spending_plan_accounts()
                            .user_guid(u)
                            .spending_plan_guid(&p)
                            .send()
                            .await,
                    )
                    .spending_plan_accounts;
                assert!(!accounts.is_empty());
                for a in &accounts {
                    assert!(
                        ids.accounts.contains(set(&a.account_guid, "account_guid")),
                        "{a:?}"
                    );
                    assert_eq!(a.spending_plan_guid.as_ref(), Some(&p), "{a:?}");
                }
                let a = accounts[0].guid.clone().unwrap();
                let read = c.body(
                    "read_spending_plan_account",
                    mx.read_spending_plan_account()
                        .user_guid(u)
                        .spending_plan_guid(&p)
                        .spending_plan_account_guid(&a)
                        .send()
                        .await,
                );
                assert_eq!(read, accounts[0]);
                (p, a)
            }

            /// An item of the current iteration, for the transaction's
            /// category.
            async fn iteration_items(mx: &Client, c: &mut Calls, ids: &Ids, p: &str) -> String {
                let u = ids.user.as_str();
                let body = || types::SpendingPlanIterationItemCreateRequestBody {
                    category_guid: Some(ids.category.clone()),
                    ..types::SpendingPlanIterationItemCreateRequestBody::new(300.0)
                };
                let item = c.body(
                    "create_spending_plan_iteration_item",
                    mx.create_spending_plan_iteration_item()
                        .user_guid(u)
                        .spending_plan_guid(p)
                        .body(body())
                        .send()
                        .await,
                );
                assert_eq!(item.planned_amount, Some(300.0));
                assert_eq!(item.category_guid.as_ref(), Some(&ids.category));
                let i = set(&item.guid, "guid").clone();
                let listed = c
                    .body(
                        "list_spending_plan_iteration_items",
                        mx.list_spending_plan_iteration_items()
                            .user_guid(u)
                            .spending_plan_guid(p)
                            .send()
                            .await,
                    )
                    .iteration_items;
                assert!(listed.contains(&item), "{listed:?}");
                let read = c.body(
                    "read_spending_plan_iteration_item",
                    mx.read_spending_plan_iteration_item()
                        .user_guid(u)
                        .spending_plan_guid(p)
                        .iteration_item_guid(&i)
                        .send()
                        .await,
                );
                assert_eq!(read, item);
                let more = types::SpendingPlanIterationItemCreateRequestBody {
                    planned_amount: 350.0,
                    ..body()
                };
                let updated = c.body(
                    "update_spending_plan_iteration_item",
                    mx.update_spending_plan_iteration_item()
                        .user_guid(u)
                        .spending_plan_guid(p)
                        .iteration_item_guid(&i)
                        .body(more)
                        .send()
                        .await,
                );
                assert_eq!(updated.planned_amount, Some(350.0));
                assert_eq!(updated.guid.as_ref(), Some(&i));
                i
            }

            /// The plans deleted, each gone.
            pub async fn delete(mx: &Client, c: &mut Calls, ids: &Ids, planned: &Planned) {
                let (u, p) = (ids.user.as_str(), planned.plan.as_str());
                c.ok(
                    "delete_spending_plan_iteration_item",
                    mx.delete_spending_plan_iteration_item()
                        .user_guid(u)
                        .spending_plan_guid(p)
                        .iteration_item_guid(&planned.item)
                        .send()
                        .await,
                );
                c.ok(
                    "delete_spending_plan_account",
                    mx.delete_spending_plan_account()
                        .user_guid(u)
                        .spending_plan_guid(p)
                        .spending_plan_account_guid(&planned.plan_account)
                        .send()
                        .await,
                );
                c.ok(
                    "delete_spending_plan",
                    mx.delete_spending_plan()
                        .user_guid(u)
                        .spending_plan_guid(p)
                        .send()
                        .await,
                );
                let err = mx
                    .read_spending_plan_user()
                    .user_guid(u)
                    .spending_plan_guid(p)
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::NotFound(_)), "{err:?}");
                c.ok(
                    "delete_budget",
                    mx.delete_budget()
                        .user_guid(u)
                        .budget_guid(&planned.budget)
                        .send()
                        .await,
                );
                let err = mx
                    .read_specific_budget()
                    .user_guid(u)
                    .budget_guid(&planned.budget)
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::NotFound(_)), "{err:?}");
                c.ok(
                    "delete_goal",
                    mx.delete_goal()
                        .user_guid(u)
                        .goal_guid(&planned.goal)
                        .send()
                        .await,
                );
                let err = mx
                    .read_goal()
                    .user_guid(u)
                    .goal_guid(&planned.goal)
                    .send()
                    .await
                    .unwrap_err();
                assert!(matches!(err, Error::NotFound(_)), "{err:?}");
            }
        }
    };
}

for_each_version!(plans);
