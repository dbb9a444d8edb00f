// Preloaded into the reference server when profiling: exit cleanly on SIGTERM so --cpu-prof is written.
/* global process */
process.on('SIGTERM', () => process.exit(0));
