/** Time comes in through a port so that the domain stays deterministic under test. */
export interface Clock {
  now(): Date;
}
