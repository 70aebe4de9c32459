//! Exit codes, in one place: the exit code is the gate.

/// No finding at level deny.
pub const EXIT_OK: u8 = 0;
/// At least one finding at level deny.
pub const EXIT_DENIED: u8 = 1;
/// The gate could not run: bad arguments, unreadable or invalid input, invalid config,
/// missing database. Never 0 when nothing was checked.
pub const EXIT_ERROR: u8 = 2;
