/** A timer loop: one pass at a time per process, the next one `intervalMs` after the previous ended. */
export type PeriodicJob<Result> = { name: string; runNow(): Promise<Result>; stop(): Promise<void> };

/**
 * Runs `pass` at once, then again `intervalMs` after each pass ends. A failing pass goes to
 * `onError` and yields `fallback`; `runNow()` joins the pass under way or starts one; `stop()`
 * waits for the pass under way, then runs `onStop`.
 */
export function startPeriodicJob<Result>(options: {
  name: string;
  intervalMs: number;
  pass: () => Promise<Result>;
  fallback: Result;
  onError?: (error: unknown) => void;
  onStop?: () => void;
}): PeriodicJob<Result> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<Result> | undefined;
  const pass = () => {
    running ??= options
      .pass()
      .catch((error: unknown) => {
        options.onError?.(error);
        return options.fallback;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const tick = () => {
    if (stopped) return;
    void pass().finally(() => {
      if (!stopped) timer = setTimeout(tick, options.intervalMs);
    });
  };
  timer = setTimeout(tick, 0);
  return {
    name: options.name,
    runNow: pass,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      while (running) await running;
      options.onStop?.();
    },
  };
}
