// Live status for browsers over socket.io. A client subscribes first (to a
// business scope, or to every watched host), then receives a snapshot stamped
// with the store version V; deltas carry their version and the one before it, so
// a client drops what it already has and resubscribes on a gap. Deltas are
// emitted only after the store committed them, coalesced per tick, each
// subscription getting its own units and every object's changed entry. A socket
// hears its subscription's deltas only after its snapshot, the first one going on
// from V exactly: it joins its room at the version the room's deltas have reached.
// Admins' sockets also hear which of their lists changed, never what changed:
// the browser fetches the list again over the API, which checks the role anew.
// A wall display's socket (docs/architecture.md, "Displays") is authorised by
// its display credential and always subscribed to its own scope's objects,
// whatever it asks; it hears when an admin changes or revokes it.
import type { Server, Socket } from 'socket.io';
import type { Store } from '../store/db';
import type { Logger } from '../host/log';
import { AccessError, authorize, credentialsOf } from '../auth/authorize';
import { allows, type Permission } from '../auth/roles';
import { DISPLAY_TOUCH_EVERY_MS, type DisplayPrincipal } from '../auth/display-credentials';
import { displayView } from '../displays/displays';
import { z } from 'zod';
import {
  LIVE_ERRORS, LIVE_EVENTS, LIVE_PROTOCOL,
  type AdminChanged, type AdminList, type DisplayNotice, type DisplayView, type FlagsDelta, type HostState, type HostsDelta, type ObjectFlags, type SnapshotAnswer, type SubscribeRequest, type UnitsDelta,
} from '../domain/live';
import { DeltaCoalescer } from './coalesce';
import { collectGarbage, ENOUGH_WORK, QuietCollector } from './quiet-collect';
import type { StatusIndex } from './status-index';
import { isSameOrigin } from '../http/origin';

/** The room of a subscription: a scope's, or every watched host's. */
const ALL_ROOM = 'status';
const SCOPE_ROOM = 'scope:';
/** Subscriptions without units: every object's entry only. */
const OBJECTS_ROOM = 'objects';
/** A wall display's subscription: the objects of one scope and the scopes below it, no units. */
const DISPLAY_SCOPE_ROOM = 'display-scope:';
const roomOf = ({ scope, units }: SubscribeRequest) => (units === false ? OBJECTS_ROOM : scope ? `${SCOPE_ROOM}${scope}` : ALL_ROOM);
const isSubscriptionRoom = (room: string) => room === ALL_ROOM || room === OBJECTS_ROOM || room.startsWith(SCOPE_ROOM) || room.startsWith(DISPLAY_SCOPE_ROOM);
const displayScopeOf = (room: string) => (room.startsWith(DISPLAY_SCOPE_ROOM) ? Number(room.slice(DISPLAY_SCOPE_ROOM.length)) : null);
/** Every socket of one display: what an admin does to it reaches all of them. */
const displayRoom = (displayId: number) => `display:${displayId}`;
/** Sockets whose subscription answer is being compressed: what their room hears is kept for them until it is sent. */
const ANSWERING_ROOM = 'answering';
/** A message kept for a socket until its answer is sent: its event and what it carries. */
type Kept = [event: string, message: unknown];
const subscribeSchema = z.strictObject({
  scope: z.number().int().positive().max(2 ** 31 - 1).nullable().optional(),
  units: z.boolean().optional(),
}) satisfies z.ZodType<SubscribeRequest>;
/**
 * Messages a socket may have waiting to be written (about 5 s of ticks) before it is
 * told to resynchronise instead: a client that cannot keep up gets a fresh snapshot when
 * it can, not an ever longer queue in the manager.
 */
export const MAX_QUEUED = 50;
/** Snapshots of more units and objects than this travel encoded (SnapshotAnswer). */
const ENCODE_ABOVE = 500;
/** Packets engine.io holds for a socket until its transport can write (not in its typings). */
const queued = (socket: Socket) => (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;

// A list's notices go to the sockets whose session may read the list.
const LIST_PERMISSION = { users: 'users.write', sessions: 'users.write', audit: 'audit.read', displays: 'displays.read' } as const satisfies Record<AdminList, Permission>;
const LIST_PERMISSIONS = [...new Set(Object.values(LIST_PERMISSION))];
const permissionRoom = (permission: Permission) => `may:${permission}`;

/** An object's flags, with the scope it is defined in (a wall display hears of its own scope's only). */
export interface ScopedFlags extends ObjectFlags {
  scopeId: number;
}

export interface LiveHub {
  publishUnits(batch: UnitsDelta): void;
  publishHost(state: HostState): void;
  /** Objects whose flags changed, once committed: each with all of its flags now. */
  publishFlags(objects: ScopedFlags[]): void;
  /** Reads the definitions again (what each subscription shows), then tells the browsers. */
  definitionsChanged(): Promise<void>;
  dropSession(sessionId: string): void;
  /** Disconnects every socket of a user at once (disabled, password reset, new role). */
  dropUser(userId: number): void;
  /** Tells the admins' sockets that these lists changed; call it once the change is committed. */
  adminChanged(...lists: AdminList[]): void;
  /**
   * Tells a display's sockets what it now is, once the change is committed; when its scope moved,
   * they leave their subscription and hear RESYNC, so that they subscribe to the new one.
   */
  displayChanged(view: DisplayView): void;
  /** Tells a revoked display's sockets so, and closes them at once. */
  displayRevoked(displayId: number): void;
  /** Since when a display has had a live connection, if it has one now. */
  displayConnectedSince(displayId: number): Date | undefined;
}

/** A wall display's socket: the display as of its handshake or the last change it heard of. */
const displayOf = (socket: Socket): DisplayPrincipal | undefined => socket.data.display;

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
    authorize(store, credentialsOf(socket.request), 'status.read').then(
      (principal) => (principal.kind === 'user' ? schedule(principal.user.endsAt) : socket.disconnect(true)),
      () => socket.disconnect(true),
    );
  };
  schedule(endsAt);
  socket.once('disconnect', () => clearTimeout(timer));
}

export interface LiveSources {
  hostStates: () => HostState[];
  /** Every object's flags raised now. */
  flags: () => ScopedFlags[];
}

export function createLiveHub(io: Server, store: Store, index: StatusIndex, sources: LiveSources, log: Logger, consoleHost = ''): LiveHub {
  const { hostStates } = sources;
  /** The flags a subscription hears of: a display's, its scope's; a person's, all. */
  const flagsFor = (objects: ScopedFlags[], displayScope: number | null): ObjectFlags[] =>
    objects.filter((o) => displayScope === null || index.scopeWithin(o.scopeId, displayScope)).map(({ objectId, flags }) => ({ objectId, flags }));
  // What the index's work left behind is collected once the manager goes quiet after enough of it;
  // the start (the View, the store, the index read) is such a burst of its own.
  const quiet = new QuietCollector(async () => {
    const began = performance.now();
    await collectGarbage();
    log.debug({ ms: Math.round(performance.now() - began), heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) }, 'garbage collected after a quiet spell');
  });
  index.worked = (units) => quiet.worked(units);
  quiet.worked(ENOUGH_WORK);
  io.use(async (socket, next) => {
    const req = socket.request;
    if (!isSameOrigin(req)) return next(new Error(LIVE_ERRORS.unauthorized));
    try {
      const principal = await authorize(store, credentialsOf(req), permissionOf(socket));
      socket.data.connectedAt = new Date();
      if (principal.kind === 'display') {
        socket.data.display = principal.display;
        socket.join(displayRoom(principal.display.displayId));
        return next();
      }
      const { user } = principal;
      // The role is the session's as stored now; a new role drops the user's sockets (dropUser),
      // so the reconnected socket joins the rooms of the new one.
      const mayRead = LIST_PERMISSIONS.filter((permission) => allows(user.role, permission)).map(permissionRoom);
      socket.join([`session:${user.sessionId}`, `user:${user.userId}`, ...mayRead]);
      socket.data.endsAt = user.endsAt;
      next();
    } catch (err) {
      if (err instanceof AccessError) return next(new Error(LIVE_ERRORS.unauthorized));
      log.error({ err }, 'socket handshake failed');
      next(new Error(LIVE_ERRORS.serverError));
    }
  });

  /**
   * A socket event's handler, with its request (validated) and an answer. Whatever it
   * throws (or rejects with) ends at this socket: logged, answered, and the socket closed.
   */
  const on = <T>(socket: Socket, event: string, request: z.ZodType<T>, handler: (request: T, ack: (reply: unknown) => void) => Promise<void>) => {
    socket.on(event, (...args: unknown[]) => {
      const ack = args.at(-1);
      // Every event of the View asks for an answer, with at most a request: anything else is not a client of ours.
      if (args.length > 2 || typeof ack !== 'function') return void socket.disconnect(true);
      const parsed = request.safeParse(args.length === 2 ? args[0] : {});
      if (!parsed.success) {
        ack({ error: LIVE_ERRORS.badRequest });
        return void socket.disconnect(true);
      }
      handler(parsed.data, ack as (reply: unknown) => void).catch((err) => {
        if (err instanceof AccessError) {
          ack({ error: LIVE_ERRORS.unauthorized });
        } else {
          log.error({ err, event }, 'socket event failed; closing that socket');
          ack({ error: LIVE_ERRORS.serverError });
        }
        socket.disconnect(true);
      });
    });
  };

  /** A wall display's subscription, whatever it asked for: its own scope's objects, no units. */
  const subscribeDisplay = async (socket: Socket, display: DisplayPrincipal, ack: (reply: unknown) => void) => {
    // From the store, as authorised now: a move the socket has not yet been told of counts already.
    const scope = display.scopeId;
    unsubscribe(socket);
    if (scope === null || !index.hasScope(scope)) return ack({ error: LIVE_ERRORS.unknownScope });
    socket.join(`${DISPLAY_SCOPE_ROOM}${scope}`);
    const snapshot = index.snapshot(scope, false, true);
    quiet.worked(snapshot.objects.length);
    const hosts = index.hostsOfScope(scope);
    const head = { protocol: LIVE_PROTOCOL, version: snapshot.version, hosts: hostStates().filter((h) => hosts.has(h.name)), flags: flagsFor(sources.flags(), scope) } as const;
    const large = snapshot.objects.length > ENCODE_ABOVE;
    await answerFirst(socket, ack, large ? snapshot.gzipped().then((gzipped) => ({ ...head, gzipped })) : { ...head, units: [], objects: snapshot.objects });
  };

  /** Takes a socket out of its subscription: it hears nothing more of it, nor what was kept for it. */
  const unsubscribe = (socket: Socket) => {
    for (const room of socket.rooms) if (isSubscriptionRoom(room) || room === ANSWERING_ROOM) socket.leave(room);
    socket.data.kept = undefined;
  };

  /**
   * Sends a subscription's answer before anything of the subscription: while a large answer is
   * compressed, the socket is already in its room (so that it misses nothing), but what the
   * room hears is kept for it and sent right after the answer, in order.
   */
  const answerFirst = async (socket: Socket, ack: (reply: unknown) => void, reply: SnapshotAnswer | Promise<SnapshotAnswer>) => {
    if (!(reply instanceof Promise)) return ack(reply);
    const kept: Kept[] = [];
    socket.data.kept = kept;
    socket.join(ANSWERING_ROOM);
    const answer = await reply;
    ack(answer);
    // The socket subscribed again meanwhile, or left its subscription: the answer is moot, and so is what was kept.
    if (socket.data.kept !== kept) return;
    socket.leave(ANSWERING_ROOM);
    socket.data.kept = undefined;
    for (const [event, message] of kept) socket.emit(event, message);
  };

  /** Sends a subscription room's sockets a message; one whose answer is on its way gets it after that. */
  const toRoom = (room: string, event: string, message: unknown) => {
    io.to(room).except(ANSWERING_ROOM).emit(event, message);
    for (const id of io.of('/').adapter.rooms.get(ANSWERING_ROOM) ?? []) {
      const socket = io.of('/').sockets.get(id);
      if (socket?.rooms.has(room)) (socket.data.kept as Kept[] | undefined)?.push([event, message]);
    }
  };

  /** Takes in what a display now is (from the store): tells its socket when that changed, and moves it when its scope did. */
  const noteDisplay = (socket: Socket, now: DisplayPrincipal, view?: DisplayView) => {
    const before = displayOf(socket);
    socket.data.display = now;
    if (!before || !view || sameDisplay(before, now)) return;
    socket.emit(LIVE_EVENTS.display, { state: 'changed', display: view } satisfies DisplayNotice);
    if (before.scopeId !== now.scopeId) {
      unsubscribe(socket);
      socket.emit(LIVE_EVENTS.resync, {});
    }
  };

  const revoke = (socket: Socket) => {
    socket.emit(LIVE_EVENTS.display, { state: 'revoked' } satisfies DisplayNotice);
    socket.disconnect(true);
  };

  /**
   * A display's socket looks at its credential again every minute (which also keeps its
   * lastSeenAt within a minute of now): a display revoked or moved by any path is told.
   */
  const watchDisplay = (socket: Socket) => {
    const timer = setInterval(() => {
      authorize(store, credentialsOf(socket.request), 'display.status').then(
        async (principal) => {
          if (principal.kind !== 'display') return revoke(socket);
          const { display } = principal;
          if (!sameDisplay(display, displayOf(socket))) noteDisplay(socket, display, await displayView(store, display.displayId, consoleHost));
        },
        (err) => {
          if (err instanceof AccessError) return revoke(socket);
          log.warn({ err }, 'could not check a wall display again');
        },
      );
    }, DISPLAY_TOUCH_EVERY_MS).unref();
    socket.once('disconnect', () => {
      clearInterval(timer);
      adminChanged('displays');
    });
    adminChanged('displays');
  };

  io.on('connection', (socket: Socket) => {
    if (displayOf(socket)) watchDisplay(socket);
    else closeAtSessionEnd(socket, store, socket.data.endsAt as Date);
    on(socket, LIVE_EVENTS.subscribe, subscribeSchema, async (request, ack) => {
      const scope = request.scope ?? null;
      // Every event is authorised again: the session may have expired or been revoked since the handshake.
      const principal = await authorize(store, credentialsOf(socket.request), permissionOf(socket));
      if (principal.kind === 'display') return subscribeDisplay(socket, principal.display, ack);
      if (scope !== null && !index.hasScope(scope)) return ack({ error: LIVE_ERRORS.unknownScope });
      unsubscribe(socket);
      // The snapshot is the state as last sent (the index takes each delta as it goes out): deltas
      // after it are the next ones the room hears.
      socket.join(roomOf(request));
      const snapshot = index.snapshot(scope, request.units !== false);
      // Screens subscribing (a failover's, all at once) put the collection off until they are served.
      quiet.worked(snapshot.unitCount);
      const head = { protocol: LIVE_PROTOCOL, version: snapshot.version, hosts: hostStates(), flags: flagsFor(sources.flags(), null) } as const;
      // A large snapshot goes as bytes compressed once for every socket asking at that version, not once per socket.
      const large = snapshot.unitCount + snapshot.objects.length > ENCODE_ABOVE;
      await answerFirst(socket, ack, large ? snapshot.gzipped().then((gzipped) => ({ ...head, gzipped })) : { ...head, units: snapshot.units(), objects: snapshot.objects });
    });
  });

  const subscriptionRooms = () => [...io.of('/').adapter.rooms.keys()].filter(isSubscriptionRoom);

  /** Sockets whose queue is full leave their subscription and are told to subscribe again. */
  const dropLaggards = () => {
    for (const room of subscriptionRooms()) {
      for (const id of io.of('/').adapter.rooms.get(room) ?? []) {
        const socket = io.of('/').sockets.get(id);
        if (socket && queued(socket) > MAX_QUEUED) {
          unsubscribe(socket);
          socket.emit(LIVE_EVENTS.resync, {});
        }
      }
    }
  };
  // Each tick's changes, in version order, into the index first (what a subscriber gets next
  // starts from it), then to every subscription: its own units, every changed object.
  const units = new DeltaCoalescer((delta) => {
    const objects = index.apply(delta);
    dropLaggards();
    for (const room of subscriptionRooms()) {
      const displayScope = displayScopeOf(room);
      if (displayScope !== null) {
        // Every tick, even with nothing of its scope: its versions must follow on.
        const mine = objects.filter((o) => index.objectInScope(o.host, o.unit, displayScope));
        toRoom(room, LIVE_EVENTS.units, { ...delta, units: [], objects: mine } satisfies UnitsDelta);
        continue;
      }
      const scope = room.startsWith(SCOPE_ROOM) ? Number(room.slice(SCOPE_ROOM.length)) : null;
      const mine = room === OBJECTS_ROOM ? [] : delta.units.filter((u) => index.shows(u, scope));
      toRoom(room, LIVE_EVENTS.units, { ...delta, units: mine, objects } satisfies UnitsDelta);
    }
  }, index.version);

  /**
   * Reads the definitions again, and with them every unit when the watched hosts changed. No
   * delta goes out meanwhile, and the deltas go on from the version read: what was read holds
   * the deltas up to it, so that a socket subscribing after it never hears one of them again.
   */
  const readDefinitions = async () => {
    units.pause();
    let reread = false;
    try {
      reread = await index.refresh(store);
    } finally {
      units.resume(index.version);
    }
    for (const room of subscriptionRooms()) {
      io.to(room).emit(LIVE_EVENTS.definitions, {});
      // A snapshot of objects' states (tiles, a display's scope) holds the objects as they were
      // defined, so a new object over a unit that already ran would show nothing until it changed;
      // and after every unit was read again a snapshot lacks what was read (and the deltas it was
      // not sent). Either takes a new one.
      if (reread || room === OBJECTS_ROOM || displayScopeOf(room) !== null) {
        io.to(room).emit(LIVE_EVENTS.resync, {});
        for (const id of [...(io.of('/').adapter.rooms.get(room) ?? [])]) {
          const socket = io.of('/').sockets.get(id);
          if (socket) unsubscribe(socket);
        }
      }
    }
    // A display whose scope was deleted shows none from now on: it is told.
    for (const socket of displaySockets()) {
      const display = displayOf(socket)!;
      if (display.scopeId === null || index.hasScope(display.scopeId)) continue;
      const view = await displayView(store, display.displayId, consoleHost);
      noteDisplay(socket, { ...display, name: view.name, scopeId: view.scope?.id ?? null, settings: view.settings }, view);
    }
  };
  // One reading of the definitions at a time: two at once could leave the index as the earlier one read it.
  let definitionsRead: Promise<void> = Promise.resolve();

  const adminChanged = (...lists: AdminList[]) => {
    for (const list of new Set(lists)) io.to(permissionRoom(LIST_PERMISSION[list])).emit(LIVE_EVENTS.adminChanged, { list } satisfies AdminChanged);
  };
  const displaySockets = () => [...io.of('/').sockets.values()].filter((socket) => displayOf(socket) !== undefined);

  return {
    publishUnits: (delta) => units.add(delta),
    publishHost: (state) => {
      for (const room of subscriptionRooms()) {
        const displayScope = displayScopeOf(room);
        // A display hears only of the hosts its scope's objects are on.
        if (displayScope !== null && !index.hostsOfScope(displayScope).has(state.name)) continue;
        toRoom(room, LIVE_EVENTS.hosts, { hosts: [state] } satisfies HostsDelta);
      }
    },
    publishFlags: (objects) => {
      for (const room of subscriptionRooms()) {
        const mine = flagsFor(objects, displayScopeOf(room));
        if (mine.length > 0) toRoom(room, LIVE_EVENTS.flags, { objects: mine } satisfies FlagsDelta);
      }
    },
    definitionsChanged: () => {
      const read = definitionsRead.then(readDefinitions);
      definitionsRead = read.catch(() => {});
      return read;
    },
    dropSession: (sessionId) => io.in(`session:${sessionId}`).disconnectSockets(true),
    dropUser: (userId) => io.in(`user:${userId}`).disconnectSockets(true),
    adminChanged,
    displayChanged: (view) => {
      for (const id of io.of('/').adapter.rooms.get(displayRoom(view.id)) ?? []) {
        const socket = io.of('/').sockets.get(id);
        const display = socket && displayOf(socket);
        if (display) noteDisplay(socket, { ...display, name: view.name, scopeId: view.scope?.id ?? null, settings: view.settings }, view);
      }
    },
    displayRevoked: (displayId) => {
      for (const id of [...(io.of('/').adapter.rooms.get(displayRoom(displayId)) ?? [])]) {
        const socket = io.of('/').sockets.get(id);
        if (socket) revoke(socket);
      }
    },
    displayConnectedSince: (displayId) => {
      let since: Date | undefined;
      for (const id of io.of('/').adapter.rooms.get(displayRoom(displayId)) ?? []) {
        const at = io.of('/').sockets.get(id)?.data.connectedAt as Date | undefined;
        if (at && (!since || at < since)) since = at;
      }
      return since;
    },
  };
}

const sameDisplay = (a: DisplayPrincipal, b: DisplayPrincipal | undefined) =>
  !!b && a.name === b.name && a.scopeId === b.scopeId && JSON.stringify(a.settings) === JSON.stringify(b.settings);

/**
 * What a socket's handshake is authorised as: a wall display when it says so (socket.io's
 * `auth: {as: 'display'}`) or brings a display cookie and no session, else a person.
 */
function permissionOf(socket: Socket): Permission {
  const { session, display } = credentialsOf(socket.request);
  const asDisplay = (socket.handshake.auth as { as?: unknown } | undefined)?.as === 'display' || (session === undefined && display !== undefined);
  return asDisplay ? 'display.status' : 'status.read';
}
