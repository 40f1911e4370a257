/** Something opened on the first call and shared by the next ones. */
export interface OnFirstUse<T> {
  (): Promise<T>;
  /** What was opened, if a call opened it (undefined when never opened or when it failed). */
  ifOpened(): Promise<T | undefined>;
}

/**
 * Runs `open` on the first call and shares its result; an opening that failed is tried again on
 * the next call, so one bad moment (a network error at a cold start) does not stick.
 */
export function onFirstUse<T>(open: () => Promise<T>): OnFirstUse<T> {
  let opened: Promise<T> | undefined;
  const get = () =>
    (opened ??= open().catch((error: unknown) => {
      opened = undefined;
      throw error;
    }));
  return Object.assign(get, {
    ifOpened: async () => opened?.catch(() => undefined),
  });
}
