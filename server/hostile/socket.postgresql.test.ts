// Hostile socket.io handshakes, engine.io packets, WebSocket frames and events against a manager whose store is PostgreSQL.
import { socketSuite } from './socket-suite';

socketSuite('postgresql');
