import { PGLITE_TEMPLATE, writePgliteTemplate } from "../src/db/pglite-template";

/**
 * Run by `npm install`: makes the migrated data directory a first `npm start` begins from. A failure costs only
 * speed (the first start then runs initdb itself), so it never fails the install.
 */
try {
  const started = performance.now();
  await writePgliteTemplate(PGLITE_TEMPLATE);
  console.log(`lotproof: embedded database template ready (${Math.round(performance.now() - started)} ms)`);
} catch (err) {
  console.warn("lotproof: could not prepare the embedded database template; the first start will create it instead", err);
}
