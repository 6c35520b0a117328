//! Python bindings of pivotal-core: the extension module `pivotal_core._native`.
//!
//! A thin layer: conversions live in [`convert`], the one error mapping in [`errors`], the record
//! classes are declared with [`record`] (in [`objects`] and [`analytics`]), the store handle lives
//! in [`store`] and the operations in [`resources`]; [`cli`] runs the `pivotal` tool. No rule of the
//! domain is decided here; every operation calls the core with the GIL released.

mod analytics;
mod cli;
mod convert;
mod errors;
mod objects;
mod record;
mod resources;
mod store;
mod transfer;

use pyo3::prelude::*;

/// The native part of `pivotal_core`; import `pivotal_core` instead.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(store::open, m)?)?;
    m.add_function(wrap_pyfunction!(store::open_in_memory, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_exceptions_by_code, m)?)?;
    m.add_function(wrap_pyfunction!(_record_stubs, m)?)?;
    m.add_function(wrap_pyfunction!(cli::cli_main, m)?)?;
    m.add_class::<store::PyPivotal>()?;
    m.add_class::<store::PyFixedClock>()?;
    m.add_class::<resources::Customers>()?;
    m.add_class::<resources::Contacts>()?;
    m.add_class::<resources::Onboardings>()?;
    m.add_class::<resources::Events>()?;
    m.add_class::<resources::Workspaces>()?;
    m.add_class::<resources::ApiKeys>()?;
    m.add_class::<resources::ListIterator>()?;
    m.add_class::<analytics::Analytics>()?;
    m.add_class::<objects::PyPage>()?;
    add_records(m)?;
    Ok(())
}

/// The record classes (declared with `py_record!`), in the order of their stubs.
macro_rules! records {
    ($($class:path),* $(,)?) => {
        fn add_records(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $(m.add_class::<$class>()?;)*
            Ok(())
        }

        /// For the test suite: the record classes' part of `_native.pyi`, generated from their declarations.
        #[pyfunction]
        fn _record_stubs() -> String {
            [$(<$class>::stub()),*].join("\n")
        }
    };
}

records!(
    objects::PyCustomer,
    objects::PyContact,
    objects::PyOnboarding,
    objects::PyEvent,
    objects::PyPhaseTransition,
    objects::PyDeleted,
    objects::PyHealth,
    objects::PyWorkspace,
    objects::PyApiKey,
    objects::PyCreatedApiKey,
    objects::PyKeyIdentity,
    objects::PyIdentity,
    analytics::PyByPhase,
    analytics::PyByState,
    analytics::PyLaunchDays,
    analytics::PyOnboardingMetrics,
    analytics::PyWorkspaceReport,
    transfer::PyImportSummary,
    transfer::PyItemError,
);
