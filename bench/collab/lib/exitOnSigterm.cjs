// Preloaded into the reference server when profiling: exit cleanly on SIGTERM so --cpu-prof is written.
process.on('SIGTERM', () => process.exit(0));
