// Live status for browsers over socket.io. A client subscribes first, then
// receives a snapshot stamped with the store version V; deltas carry their
// version and the one before it, so a client drops what it already has and
// resubscribes on a gap. Deltas are emitted only after the store committed them.
import type { IncomingMessage } from 'node:http';
import type { Server, Socket } from 'socket.io';
import type { Store } from '../store/db';
import type { Logger } from '../host/log';
import { AccessError, authorize } from '../auth/authorize';
import { readCookie, SESSION_COOKIE } from '../auth/sessions';
import { statusSnapshot } from '../feed/apply';
import type { HostState, Snapshot, UnitsDelta } from '../domain/live';
import { isSameOrigin } from '../http/origin';

export const UNAUTHORIZED = 'unauthorized';
const STATUS_ROOM = 'status';

export interface LiveHub {
  publishUnits(batch: UnitsDelta): void;
  publishHost(state: HostState): void;
  definitionsChanged(): void;
  dropSession(sessionId: string): void;
  /** Disconnects every socket of a user at once (disabled, password reset, new role). */
  dropUser(userId: number): void;
}

const sessionToken = (req: IncomingMessage) => readCookie(req.headers.cookie, SESSION_COOKIE);

export function createLiveHub(io: Server, store: Store, hostStates: () => HostState[], log: Logger): LiveHub {
  io.use(async (socket, next) => {
    const req = socket.request;
    if (!isSameOrigin(req)) return next(new Error(UNAUTHORIZED));
    try {
      const user = await authorize(store, sessionToken(req), 'status.read');
      socket.join([`session:${user.sessionId}`, `user:${user.userId}`]);
      next();
    } catch (err) {
      if (err instanceof AccessError) return next(new Error(UNAUTHORIZED));
      log.error({ err }, 'socket handshake failed');
      next(new Error('server error'));
    }
  });

  io.on('connection', (socket: Socket) => {
    socket.on('subscribe', async (ack: unknown) => {
      if (typeof ack !== 'function') return socket.disconnect(true);
      try {
        // Every event is authorised again: the session may have expired or been revoked since the handshake.
        await authorize(store, sessionToken(socket.request), 'status.read');
        socket.join(STATUS_ROOM); // join before reading: a delta committed meanwhile is newer than the snapshot or dropped by version
        const snapshot = await statusSnapshot(store);
        ack({ ...snapshot, hosts: hostStates() } satisfies Snapshot);
      } catch (err) {
        if (err instanceof AccessError) {
          ack({ error: UNAUTHORIZED });
          socket.disconnect(true);
          return;
        }
        log.error({ err }, 'subscribe failed');
        ack({ error: 'server error' });
      }
    });
  });

  return {
    publishUnits: (batch) => io.to(STATUS_ROOM).emit('units', batch),
    publishHost: (state) => io.to(STATUS_ROOM).emit('hosts', { hosts: [state] }),
    definitionsChanged: () => io.to(STATUS_ROOM).emit('definitions', {}),
    dropSession: (sessionId) => io.in(`session:${sessionId}`).disconnectSockets(true),
    dropUser: (userId) => io.in(`user:${userId}`).disconnectSockets(true),
  };
}
