/**
 * Runs writes to one document one after another within this process.
 *
 * The adapter's updates are single-document atomic operations, which is all MongoDB needs.
 * FerretDB 1.x (the CI server) implements them as read, modify, write back without a condition,
 * so concurrent writers lose updates and both sides of a compare-and-set win. Queueing per
 * document makes them safe within one app process (our deployment) on both servers, and keeps
 * one code path for CI and production. See README-notes.md.
 */
export class DocumentWriteQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, write: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(write, write);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key); // nothing queued behind: forget the key
    });
    return result;
  }
}
