import { MongoClient } from 'mongodb';

/** Host part of a MongoDB URI, credentials removed: safe to log and to put in errors. */
export function describeMongoHosts(uri: string): string {
  const withoutScheme = uri.replace(/^mongodb(\+srv)?:\/\//, '');
  const authority = withoutScheme.split(/[/?]/, 1)[0] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1) || '(no host)';
}

/**
 * A fresh MongoClient per attempt: after a failed connect() the driver answers
 * "Topology is closed" to every later call on that client.
 */
export async function connectMongo(uri: string, serverSelectionTimeoutMS: number): Promise<MongoClient> {
  // ignoreUndefined: optional fields left undefined are omitted instead of stored as null
  // (a null idempotency key would otherwise collide in the unique index).
  const client = new MongoClient(uri, { serverSelectionTimeoutMS, ignoreUndefined: true });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.close().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`MongoDB unreachable at ${describeMongoHosts(uri)}: ${reason}`, { cause: error });
  }
}

/** FerretDB answers buildInfo with a ferretdbVersion field; MongoDB does not. */
export async function detectFerretDb(client: MongoClient): Promise<string | null> {
  const info = await client.db('admin').command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string' ? info.ferretdbVersion : null;
}
