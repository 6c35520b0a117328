//! The enumerations of the wire format: customer status, onboarding phase and state.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $wire:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $wire)] $variant,)*
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The wire string.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire,)* }
            }
        }

        impl FromStr for $name {
            type Err = UnknownVariant;

            fn from_str(s: &str) -> Result<Self, UnknownVariant> {
                match s {
                    $($wire => Ok($name::$variant),)*
                    _ => Err(UnknownVariant { expected: &[$($wire,)*] }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// A string that names no value of an enumeration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownVariant {
    /// The accepted wire strings.
    pub expected: &'static [&'static str],
}

wire_enum! {
    /// Where a customer is in its lifecycle.
    CustomerStatus {
        /// Default for new customers.
        Onboarding => "onboarding",
        /// Live and healthy.
        Active => "active",
        /// Live but at risk.
        AtRisk => "at_risk",
        /// Gone; its open onboardings are paused.
        Churned => "churned",
        /// Kept for the record.
        Archived => "archived",
    }
}

wire_enum! {
    /// Where an onboarding is, in order.
    Phase {
        /// Default.
        BeforeGettingStarted => "before_getting_started",
        /// Designing the program.
        ProgramDesign => "program_design",
        /// Reviewing it with the customer.
        Review => "review",
        /// Building it.
        ProgramBuildout => "program_buildout",
        /// Testing it.
        InternalQa => "internal_qa",
        /// Launching.
        Launch => "launch",
        /// Done; terminal.
        Completed => "completed",
    }
}

wire_enum! {
    /// Whether anything blocks an onboarding.
    State {
        /// Default: nothing blocks it.
        Active => "active",
        /// Stopped; no phase change while paused.
        Paused => "paused",
        /// Behind or in trouble.
        AtRisk => "at_risk",
        /// Waiting on the customer (suspends the SLA clock).
        Waiting => "waiting",
    }
}

impl Phase {
    /// Position in the order, from 0 (`before_getting_started`) to 6 (`completed`).
    pub fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_strings_round_trip() {
        for p in Phase::ALL {
            assert_eq!(p.as_str().parse::<Phase>(), Ok(*p));
            assert_eq!(serde_json::to_value(p).unwrap(), p.as_str());
        }
        for s in State::ALL {
            assert_eq!(s.as_str().parse::<State>(), Ok(*s));
        }
        for s in CustomerStatus::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert!("Launch".parse::<Phase>().is_err());
    }

    #[test]
    fn phases_are_ordered() {
        assert_eq!(Phase::BeforeGettingStarted.index(), 0);
        assert_eq!(Phase::Completed.index(), 6);
        assert!(Phase::Review < Phase::Launch);
    }
}

wire_enum! {
    /// The type of a change-log event.
    EventType {
        /// A customer was created.
        CustomerCreated => "customer.created",
        /// A customer changed.
        CustomerUpdated => "customer.updated",
        /// A customer was deleted.
        CustomerDeleted => "customer.deleted",
        /// A contact was created.
        ContactCreated => "contact.created",
        /// A contact changed.
        ContactUpdated => "contact.updated",
        /// A contact was deleted.
        ContactDeleted => "contact.deleted",
        /// An onboarding was created.
        OnboardingCreated => "onboarding.created",
        /// An onboarding changed.
        OnboardingUpdated => "onboarding.updated",
        /// An onboarding was deleted.
        OnboardingDeleted => "onboarding.deleted",
        /// An onboarding changed phase.
        OnboardingPhaseChanged => "onboarding.phase_changed",
        /// An onboarding changed state.
        OnboardingStateChanged => "onboarding.state_changed",
        /// An onboarding entered `launch`.
        OnboardingLaunched => "onboarding.launched",
        /// An onboarding entered `completed`.
        OnboardingCompleted => "onboarding.completed",
        /// An onboarding entered state `at_risk`.
        OnboardingAtRisk => "onboarding.at_risk",
        /// An onboarding left `at_risk` for `active`.
        OnboardingBackOnTrack => "onboarding.back_on_track",
        /// A customer was imported (inserted by an import, its fields as given).
        CustomerImported => "customer.imported",
        /// A contact was imported.
        ContactImported => "contact.imported",
        /// An onboarding was imported.
        OnboardingImported => "onboarding.imported",
    }
}
