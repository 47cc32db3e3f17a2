// Live status for browsers over socket.io. A client subscribes first, then
// receives a snapshot stamped with the store version V; deltas carry their
// version and the one before it, so a client drops what it already has and
// resubscribes on a gap. Deltas are emitted only after the store committed them.
// Admins' sockets also hear which of their lists changed, never what changed:
// the browser fetches the list again over the API, which checks the role anew.
import type { IncomingMessage } from 'node:http';
import type { Server, Socket } from 'socket.io';
import type { Store } from '../store/db';
import type { Logger } from '../host/log';
import { AccessError, authorize } from '../auth/authorize';
import { allows, type Permission } from '../auth/roles';
import { readCookie, SESSION_COOKIE } from '../auth/sessions';
import { statusSnapshot } from '../feed/apply';
import { LIVE_EVENTS, LIVE_PROTOCOL, type AdminChanged, type AdminList, type HostState, type HostsDelta, type Snapshot, type UnitsDelta } from '../domain/live';
import { DeltaCoalescer } from './coalesce';
import { isSameOrigin } from '../http/origin';

export const UNAUTHORIZED = 'unauthorized';
const STATUS_ROOM = 'status';
/**
 * Messages a socket may have waiting to be written (about 5 s of ticks) before it is
 * told to resynchronise instead: a client that cannot keep up gets a fresh snapshot when
 * it can, not an ever longer queue in the manager.
 */
export const MAX_QUEUED = 50;
/** Packets engine.io holds for a socket until its transport can write (not in its typings). */
const queued = (socket: Socket) => (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;

// A list's notices go to the sockets whose session may read the list.
const LIST_PERMISSION = { users: 'users.write', sessions: 'users.write', audit: 'audit.read' } as const satisfies Record<AdminList, Permission>;
const LIST_PERMISSIONS = [...new Set(Object.values(LIST_PERMISSION))];
const permissionRoom = (permission: Permission) => `may:${permission}`;

export interface LiveHub {
  publishUnits(batch: UnitsDelta): void;
  publishHost(state: HostState): void;
  definitionsChanged(): void;
  dropSession(sessionId: string): void;
  /** Disconnects every socket of a user at once (disabled, password reset, new role). */
  dropUser(userId: number): void;
  /** Tells the admins' sockets that these lists changed; call it once the change is committed. */
  adminChanged(...lists: AdminList[]): void;
}

const sessionToken = (req: IncomingMessage) => readCookie(req.headers.cookie, SESSION_COOKIE);

/** A socket whose session ends meanwhile is closed at that moment, as a logout closes it. */
function closeAtSessionEnd(socket: Socket, store: Store, endsAt: Date): void {
  let timer: NodeJS.Timeout;
  const schedule = (at: Date) => {
    // Capped: a timer cannot wait longer than about 24 days, and the session is looked at again anyway.
    timer = setTimeout(check, Math.min(Math.max(0, at.getTime() - Date.now()) + 1000, 24 * 3600_000));
    timer.unref();
  };
  const check = () => {
    // The session may have been used since (its idle end moved): look again before closing.
    authorize(store, sessionToken(socket.request), 'status.read').then(
      (user) => schedule(user.endsAt),
      () => socket.disconnect(true),
    );
  };
  schedule(endsAt);
  socket.once('disconnect', () => clearTimeout(timer));
}

export function createLiveHub(io: Server, store: Store, hostStates: () => HostState[], log: Logger): LiveHub {
  io.use(async (socket, next) => {
    const req = socket.request;
    if (!isSameOrigin(req)) return next(new Error(UNAUTHORIZED));
    try {
      const user = await authorize(store, sessionToken(req), 'status.read');
      // The role is the session's as stored now; a new role drops the user's sockets (dropUser),
      // so the reconnected socket joins the rooms of the new one.
      const mayRead = LIST_PERMISSIONS.filter((permission) => allows(user.role, permission)).map(permissionRoom);
      socket.join([`session:${user.sessionId}`, `user:${user.userId}`, ...mayRead]);
      socket.data.endsAt = user.endsAt;
      next();
    } catch (err) {
      if (err instanceof AccessError) return next(new Error(UNAUTHORIZED));
      log.error({ err }, 'socket handshake failed');
      next(new Error('server error'));
    }
  });

  /**
   * A socket event's handler. Whatever it throws (or rejects with) ends at this
   * socket: logged, answered if it asked for an answer, and the socket closed.
   */
  const on = (socket: Socket, event: string, handler: (ack: (reply: unknown) => void) => Promise<void>) => {
    socket.on(event, (...args: unknown[]) => {
      const ack = args.at(-1);
      // Every event of the View asks for an answer: anything else is not a client of ours.
      if (args.length !== 1 || typeof ack !== 'function') return void socket.disconnect(true);
      handler(ack as (reply: unknown) => void).catch((err) => {
        if (err instanceof AccessError) {
          ack({ error: UNAUTHORIZED });
        } else {
          log.error({ err, event }, 'socket event failed; closing that socket');
          ack({ error: 'server error' });
        }
        socket.disconnect(true);
      });
    });
  };

  io.on('connection', (socket: Socket) => {
    closeAtSessionEnd(socket, store, socket.data.endsAt as Date);
    on(socket, LIVE_EVENTS.subscribe, async (ack) => {
      // Every event is authorised again: the session may have expired or been revoked since the handshake.
      await authorize(store, sessionToken(socket.request), 'status.read');
      socket.join(STATUS_ROOM); // join before reading: a delta committed meanwhile is newer than the snapshot or dropped by version
      const snapshot = await statusSnapshot(store);
      ack({ protocol: LIVE_PROTOCOL, ...snapshot, hosts: hostStates() } satisfies Snapshot);
    });
  });

  /** Sockets whose queue is full leave the status room and are told to resubscribe. */
  const dropLaggards = () => {
    for (const id of io.of('/').adapter.rooms.get(STATUS_ROOM) ?? []) {
      const socket = io.of('/').sockets.get(id);
      if (socket && queued(socket) > MAX_QUEUED) {
        socket.leave(STATUS_ROOM);
        socket.emit(LIVE_EVENTS.resync, {});
      }
    }
  };
  const units = new DeltaCoalescer((delta) => {
    dropLaggards();
    io.to(STATUS_ROOM).emit(LIVE_EVENTS.units, delta);
  });

  return {
    publishUnits: (delta) => units.add(delta),
    publishHost: (state) => io.to(STATUS_ROOM).emit(LIVE_EVENTS.hosts, { hosts: [state] } satisfies HostsDelta),
    definitionsChanged: () => io.to(STATUS_ROOM).emit(LIVE_EVENTS.definitions, {}),
    dropSession: (sessionId) => io.in(`session:${sessionId}`).disconnectSockets(true),
    dropUser: (userId) => io.in(`user:${userId}`).disconnectSockets(true),
    adminChanged: (...lists) => {
      for (const list of new Set(lists)) io.to(permissionRoom(LIST_PERMISSION[list])).emit(LIVE_EVENTS.adminChanged, { list } satisfies AdminChanged);
    },
  };
}
