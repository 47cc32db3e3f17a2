// Hostile feed answers and spool rows against a manager whose store is SQLite.
import { feedSuite } from './feed-suite';

feedSuite('sqlite');
