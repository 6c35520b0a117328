//! The `pivotal` command-line tool for the Python package's console script
//! (`pivotal_core._cli`): the CLI crate's own entry point, so there is one implementation.

use pyo3::prelude::*;
use std::ffi::OsString;

/// Runs the `pivotal` command line `argv` (the program name first, as `sys.argv`) with the GIL
/// released, printing on the process's stdout and stderr, and returns the exit code.
#[pyfunction]
pub fn cli_main(py: Python<'_>, argv: Vec<OsString>) -> u8 {
    py.detach(|| pivotal_cli::main_with_args(argv))
}
