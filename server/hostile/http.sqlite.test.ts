// Hostile requests on every route of the REST API and hostile imports, against a manager whose store is SQLite.
import { httpSuite } from './http-suite';

httpSuite('sqlite');
