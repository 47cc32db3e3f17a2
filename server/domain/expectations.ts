// Expectations: what should have happened to a monitoring object and has not
// (start delay, end delay, missed, overrun). The pure core: the schema, the
// schedule's occurrences, and the evaluation at an instant given by the caller.
export * from './expectations/schema';
export * from './expectations/occurrences';
export * from './expectations/evaluate';
export * from './expectations/object-runs';
export * from './expectations/flag-words';
export * from './expectations/schedule-view';
