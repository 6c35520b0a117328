//! The objects of the Pivotal domain and the values they are made of.

pub mod api_key;
pub mod contact;
pub mod customer;
pub mod enums;
pub mod envelope;
pub mod event;
pub mod ids;
pub mod onboarding;
pub mod patch;
pub mod time;

pub use api_key::{ApiKey, CreatedApiKey, Identity, KeyIdentity};
pub use contact::{Contact, ContactParams, ContactPatch};
pub use customer::{Customer, CustomerParams, CustomerPatch, Metadata};
pub use enums::{CustomerStatus, EventType, Phase, State, UnknownVariant};
pub use envelope::{Deleted, Health, Page, Workspace};
pub use event::{Event, EventData, PhaseTransition, API_VERSION};
pub use ids::{IdGenerator, IdKind, Ref};
pub use onboarding::{Onboarding, OnboardingParams, OnboardingPatch};
pub use patch::Patch;
pub use time::{Clock, FixedClock, SystemClock, Timestamp};
