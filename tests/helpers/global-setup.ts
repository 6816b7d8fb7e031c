// Vitest globalSetup (integration project): a PostgreSQL server and a migrated template database, once per run.
import type { TestProject } from "vitest/node";
import { ensureTemplate, provideTestServer } from "./db";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await provideTestServer();
  project.provide("templateDatabaseUrl", await ensureTemplate(server.baseUrl));
  return () => server.stop();
}
