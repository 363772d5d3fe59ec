/**
 * vitest `globalSetup`: no test attach reads or writes the user's attach cache (`~/.cache/sidenet`) —
 * a test that attaches twice must compute twice, or it would test the cache instead of the attach. The
 * cache's own tests pass `attachCache` explicitly, which overrides this.
 */
export default function setup(): void {
  process.env.SIDENET_CACHE = "0";
}
