import { NotFoundError } from "@/lib/api/errors";

/** Route param → connector id; anything that is not a positive integer is simply not found. */
export function connectorId(param: string): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError("No such connector");
  return id;
}
