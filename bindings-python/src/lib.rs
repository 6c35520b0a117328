//! Python bindings of pivotal-core: the extension module `pivotal_core._native`.
//!
//! A thin layer: conversions live in [`convert`], the one error mapping in [`errors`], the objects
//! in [`objects`], the store handle in [`store`] and the operations in [`resources`]. No rule of the
//! domain is decided here; every operation calls the core with the GIL released.

mod analytics;
mod convert;
mod errors;
mod objects;
mod resources;
mod store;

use pyo3::prelude::*;

/// The native part of `pivotal_core`; import `pivotal_core` instead.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(store::open, m)?)?;
    m.add_function(wrap_pyfunction!(store::open_in_memory, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_exceptions_by_code, m)?)?;
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
    m.add_class::<analytics::PyOnboardingMetrics>()?;
    m.add_class::<analytics::PyWorkspaceReport>()?;
    m.add_class::<analytics::PyByPhase>()?;
    m.add_class::<analytics::PyByState>()?;
    m.add_class::<analytics::PyLaunchDays>()?;
    m.add_class::<objects::PyCustomer>()?;
    m.add_class::<objects::PyContact>()?;
    m.add_class::<objects::PyOnboarding>()?;
    m.add_class::<objects::PyEvent>()?;
    m.add_class::<objects::PyPhaseTransition>()?;
    m.add_class::<objects::PyDeleted>()?;
    m.add_class::<objects::PyHealth>()?;
    m.add_class::<objects::PyPage>()?;
    m.add_class::<objects::PyWorkspace>()?;
    m.add_class::<objects::PyApiKey>()?;
    m.add_class::<objects::PyCreatedApiKey>()?;
    m.add_class::<objects::PyKeyIdentity>()?;
    m.add_class::<objects::PyIdentity>()?;
    Ok(())
}
