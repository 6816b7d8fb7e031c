// The first-admin setup form (app/setup) and its endpoint, POST /api/setup.
import { z } from "zod";

export const setupRequest = z.strictObject({
  token: z.string().min(20, "The setup link is incomplete").max(200),
  name: z.string().trim().min(1, "Enter your name").max(200),
  email: z.string().trim().toLowerCase().pipe(z.email("Enter an email address")),
  password: z.string().min(12, "At least 12 characters").max(200),
  /** The organization row is created here when the database is empty (settings can be changed later). */
  organizationName: z.string().trim().min(1).max(200).default("My organization"),
});

export const setupResponse = z.strictObject({
  user: z.strictObject({ id: z.number().int(), email: z.string(), name: z.string(), role: z.literal("admin") }),
});
