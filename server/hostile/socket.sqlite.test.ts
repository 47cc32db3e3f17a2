// Hostile socket.io handshakes, engine.io packets, WebSocket frames and events against a manager whose store is SQLite.
import { socketSuite } from './socket-suite';

socketSuite('sqlite');
