//! Batch creates: many records in one transaction, each through exactly the path of a single
//! create (same validation, defaults, display ids, history and events).
//!
//! A batch is all-or-nothing: the first item that fails rolls the whole batch back, and its error
//! comes back with its type, code and field unchanged and the item's index (0-based) at the start
//! of the message: `item 3: …`. Every record of a batch is created at the same instant (the
//! clock's "now" when the batch's transaction begins), so a batch writes exactly what the same
//! single creates would write under a clock that stood still meanwhile: the same ids from the same
//! id generator, the same display ids and event sequence numbers, in item order.
//!
//! Batches take no idempotency key: one batch is one transaction, so a batch that failed left
//! nothing behind and can simply be sent again.

use super::context::Ctx;
use super::{customers, onboardings, Customers, Onboardings};
use crate::error::Result;
use crate::model::{Customer, CustomerParams, Onboarding, OnboardingParams};

impl Customers<'_> {
    /// Creates every customer of `params`, in order, in one transaction; returns them in the same
    /// order.
    ///
    /// Each item goes through the same validation, slug rules (a slug taken by an earlier item of
    /// the same batch is `conflict/slug_taken` too), display ids and `customer.created` events as
    /// [`create`](Self::create). All or nothing: on the first item that fails nothing is written
    /// and its error is returned with `item <index>: ` (0-based) before its message; its type, code
    /// and field are those a single create would answer.
    ///
    /// ```
    /// use pivotal_core::{CustomerParams, Pivotal};
    ///
    /// let db = Pivotal::open_in_memory()?;
    /// let params = ["Acme", "Globex"].map(|name| CustomerParams {
    ///     name: name.into(),
    ///     ..Default::default()
    /// });
    /// let created = db.customers().create_many(params.to_vec())?;
    /// assert_eq!(created[1].display_id, 2);
    ///
    /// let bad = vec![CustomerParams { name: "Initech".into(), ..Default::default() },
    ///                CustomerParams { name: " ".into(), ..Default::default() }];
    /// let err = db.customers().create_many(bad).unwrap_err();
    /// assert!(err.message.starts_with("item 1: "));
    /// assert_eq!(db.customers().list(&Default::default())?.data.len(), 2); // no Initech
    /// # Ok::<(), pivotal_core::Error>(())
    /// ```
    pub fn create_many(&self, params: Vec<CustomerParams>) -> Result<Vec<Customer>> {
        self.db.write(|ctx| each(ctx, &params, customers::create))
    }
}

impl Onboardings<'_> {
    /// Creates every onboarding of `params`, in order, in one transaction; returns them in the
    /// same order.
    ///
    /// Each item goes through the same validation, defaults, display ids, history and
    /// `onboarding.created` events as [`create`](Self::create) (`customer_id`: the id or display
    /// id of an existing customer). All or nothing: on the first item that fails nothing is
    /// written and its error is returned with `item <index>: ` (0-based) before its message; its
    /// type, code and field are those a single create would answer.
    ///
    /// For an import larger than memory comfortably holds, send it in chunks (10,000 items each,
    /// say): each chunk is one transaction.
    pub fn create_many(&self, params: Vec<OnboardingParams>) -> Result<Vec<Onboarding>> {
        self.db.write(|ctx| each(ctx, &params, onboardings::create))
    }
}

/// Runs `create` on every item in the current transaction; the first failure stops the batch,
/// its message prefixed with the item's index.
fn each<P, T>(
    ctx: &mut Ctx<'_>,
    params: &[P],
    create: fn(&mut Ctx<'_>, &P) -> Result<T>,
) -> Result<Vec<T>> {
    let mut created = Vec::with_capacity(params.len());
    for (index, item) in params.iter().enumerate() {
        let record = create(ctx, item).map_err(|e| e.at_index(index))?;
        created.push(record);
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorCode;
    use crate::model::time::{from_unix_ms, FixedClock};
    use crate::model::{CustomerParams, Event, OnboardingParams, Phase, State};
    use crate::store::{MemoryStore, SqliteStore, Store};
    use crate::{EventListParams, OnboardingListParams, Pivotal};
    use std::sync::Arc;

    /// 2024-01-01T00:00:00.000Z.
    const T0: i64 = 1_704_067_200_000;

    fn stores() -> Vec<(&'static str, Box<dyn Store>)> {
        vec![
            ("memory", Box::new(MemoryStore::new())),
            ("sqlite", Box::new(SqliteStore::open_in_memory().unwrap())),
        ]
    }

    /// A session over `store` with a clock standing at T0 and ids from seed 7.
    fn open(store: Box<dyn Store>) -> Pivotal {
        let clock = Arc::new(FixedClock::new(from_unix_ms(T0).unwrap()));
        Pivotal::options()
            .clock(clock)
            .id_seed(7)
            .with_store(store)
            .unwrap()
    }

    fn customer(name: &str) -> CustomerParams {
        CustomerParams {
            name: name.into(),
            ..Default::default()
        }
    }

    fn onboarding(customer: &str, phase: Option<Phase>) -> OnboardingParams {
        OnboardingParams {
            customer_id: customer.into(),
            phase,
            csm_id: Some("csm_1".into()),
            ..Default::default()
        }
    }

    fn events(db: &Pivotal) -> Vec<Event> {
        let params = EventListParams {
            limit: Some(100),
            ..Default::default()
        };
        db.events().list(&params).unwrap().data
    }

    fn onboarding_items() -> Vec<OnboardingParams> {
        vec![
            onboarding("1", None),
            onboarding("2", Some(Phase::Launch)),
            onboarding("1", Some(Phase::Completed)),
            OnboardingParams {
                waiting_on_customer: Some(true),
                ..onboarding("3", Some(Phase::Review))
            },
            OnboardingParams {
                state: Some(State::AtRisk),
                ..onboarding("2", None)
            },
        ]
    }

    /// A batch writes exactly what the same single creates write: records, display ids, event
    /// ids, sequences and payloads, and history.
    #[test]
    fn a_batch_writes_what_single_creates_write() {
        for ((name, one), (_, many)) in stores().into_iter().zip(stores()) {
            let (one, many) = (open(one), open(many));
            let names = ["Acme", "Globex", "Acme Two"];
            let singles: Vec<_> = names
                .iter()
                .map(|n| one.customers().create(customer(n), None).unwrap())
                .collect();
            let batch = many
                .customers()
                .create_many(names.iter().map(|n| customer(n)).collect())
                .unwrap();
            assert_eq!(singles, batch, "{name}: customers");
            assert_eq!(
                batch.iter().map(|c| c.display_id).collect::<Vec<_>>(),
                [1, 2, 3]
            );

            let singles: Vec<_> = onboarding_items()
                .into_iter()
                .map(|p| one.onboardings().create(p, None).unwrap())
                .collect();
            let batch = many.onboardings().create_many(onboarding_items()).unwrap();
            assert_eq!(singles, batch, "{name}: onboardings");
            assert_eq!(batch[2].phase, Phase::Completed, "{name}");
            assert_eq!(batch[3].state, State::Waiting, "{name}");
            assert_eq!(batch[4].state, State::AtRisk, "{name}");

            let (single_events, batch_events) = (events(&one), events(&many));
            assert_eq!(single_events.len(), 8, "{name}");
            assert_eq!(single_events, batch_events, "{name}: events");
            for o in &batch {
                assert_eq!(
                    one.analytics().onboarding(&o.id, None).unwrap(),
                    many.analytics().onboarding(&o.id, None).unwrap(),
                    "{name}: history of {}",
                    o.id
                );
            }
        }
    }

    /// One bad item rolls back the whole batch: no record, no event, no display id taken.
    #[test]
    fn one_bad_item_rolls_back_the_whole_batch() {
        for (name, store) in stores() {
            let db = open(store);
            db.customers().create(customer("Acme"), None).unwrap();
            let before = events(&db);

            let err = db
                .customers()
                .create_many(vec![customer("Globex"), customer("Initech"), customer("")])
                .unwrap_err();
            assert_eq!(err.code, ErrorCode::MissingField, "{name}");
            assert_eq!(err.field.as_deref(), Some("name"), "{name}");
            assert!(
                err.message.starts_with("item 2: "),
                "{name}: {}",
                err.message
            );

            // A slug taken by an earlier item of the same batch is refused like any other.
            let err = db
                .customers()
                .create_many(vec![customer("Globex"), customer("globex")])
                .unwrap_err();
            assert_eq!(err.code, ErrorCode::SlugTaken, "{name}");
            assert!(
                err.message.starts_with("item 1: "),
                "{name}: {}",
                err.message
            );

            let err = db
                .onboardings()
                .create_many(vec![onboarding("1", None), onboarding("99", None)])
                .unwrap_err();
            assert_eq!(err.code, ErrorCode::CustomerNotFound, "{name}");
            assert_eq!(err.field.as_deref(), Some("customer_id"), "{name}");
            assert!(
                err.message.starts_with("item 1: "),
                "{name}: {}",
                err.message
            );

            assert_eq!(events(&db), before, "{name}: no event of a failed batch");
            let customers = db.customers().list(&Default::default()).unwrap().data;
            assert_eq!(customers.len(), 1, "{name}");
            let onboardings = db.onboardings().list(&OnboardingListParams::default());
            assert!(onboardings.unwrap().data.is_empty(), "{name}");
            // The display ids the failed batches took were given back.
            let next = db.customers().create(customer("Globex"), None).unwrap();
            assert_eq!(next.display_id, 2, "{name}");
            let next = db
                .onboardings()
                .create(onboarding("1", None), None)
                .unwrap();
            assert_eq!(next.display_id, 1, "{name}");
        }
    }

    #[test]
    fn an_empty_batch_creates_nothing() {
        for (name, store) in stores() {
            let db = open(store);
            assert!(
                db.customers().create_many(vec![]).unwrap().is_empty(),
                "{name}"
            );
            assert!(
                db.onboardings().create_many(vec![]).unwrap().is_empty(),
                "{name}"
            );
            assert!(events(&db).is_empty(), "{name}");
        }
    }
}
