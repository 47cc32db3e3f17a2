// Hostile feed answers and spool rows against a manager whose store is PostgreSQL.
import { feedSuite } from './feed-suite';

feedSuite('postgresql');
