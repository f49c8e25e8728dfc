/** A benchmark script's entry: exit 0 when `main` finishes, 1 with its error when it fails (services it started are stopped by `main`). */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error('bench: failed', err);
      process.exit(1);
    },
  );
}
