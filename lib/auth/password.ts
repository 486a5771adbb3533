import "server-only";
import { hash, verify } from "@node-rs/argon2";

// @node-rs/argon2's default algorithm is argon2id (its `Algorithm` is a const enum, unusable under
// isolatedModules); the tests assert the "$argon2id$" prefix so a change of default would be caught.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash is a failed login, not a crash
  }
}
