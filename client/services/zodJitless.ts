// zod compiles object parsers with `new Function` where it may, after probing with `Function('')`.
// The desk's CSP allows no eval, so the probe is refused and reported as a violation (SEC4); with
// `jitless` zod parses without compiling and never probes. zod takes its global config from
// `globalThis.__zod_globalConfig` when its core loads (in a lazy chunk, after this), so setting it
// here costs the sign-in bundle no zod code. Imported first by main.ts.
const g = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
g.__zod_globalConfig = { ...g.__zod_globalConfig, jitless: true };
export {};
