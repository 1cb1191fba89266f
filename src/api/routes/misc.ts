import { text } from '../reply.js';
import type { Route } from '../route.js';

/** Endpoints Patroni keeps for tests and Citus; they answer but do nothing here. */
export const miscRoutes: readonly Route[] = [
  {
    // Only on Windows under behave in Patroni; everywhere else it just answers.
    method: 'POST',
    segment: 'sigterm',
    unsafe: true,
    body: 'none',
    handle: () => text(202, 'shutdown scheduled'),
  },
  {
    // Citus is not implemented: accept and ignore the event, as a non-coordinator does.
    method: 'POST',
    segment: 'citus',
    unsafe: true,
    body: 'required',
    handle: () => text(200, 'OK'),
  },
];
