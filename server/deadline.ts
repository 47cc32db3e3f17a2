// A deadline for a request: an AbortSignal that fires after `ms`, made with a timer this
// module holds. Node 20's AbortSignal.timeout() can be garbage-collected inside
// AbortSignal.any() and then never fire (nodejs/node#57736), leaving a request waiting
// for ever; this one cannot.
export interface Deadline {
  signal: AbortSignal;
  /** Whether it is the deadline (not the other signal) that ended the wait. */
  readonly passed: boolean;
  clear(): void;
}

export function deadline(ms: number, also?: AbortSignal): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('the deadline passed', 'TimeoutError')), ms);
  const signal = also ? AbortSignal.any([also, controller.signal]) : controller.signal;
  return {
    signal,
    get passed() {
      return controller.signal.aborted;
    },
    clear: () => clearTimeout(timer),
  };
}
