//! `simulate`: scenario files (TOML) describing a MAPI client and its
//! providers, and the client that runs a scenario on the instrumented
//! subsystem, then summarizes the shutdown from its own trace.
