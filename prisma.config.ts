import { defineConfig } from 'prisma/config';

// The store's location comes from each host's configuration at run time;
// the CLI only needs the schema to generate the client.
export default defineConfig({
  schema: 'prisma/schema.prisma',
});
