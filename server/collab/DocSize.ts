// The size of a document's state against its cap, without encoding the state on every update.

export class DocSize {
  /** Exact when last measured. */
  private base = 0;
  /** Bytes of every update applied since: their sum bounds the growth from above. */
  private since = 0;

  constructor(readonly max: number) {}

  /** The state was just encoded (a joiner, a compaction) or loaded: this many bytes. */
  measured(bytes: number): void {
    this.base = bytes;
    this.since = 0;
  }

  grew(updateBytes: number): void {
    this.since += updateBytes;
  }

  get lastMeasured(): number {
    return this.base;
  }

  /** Cheap upper bound first; only near the cap is the state measured exactly. */
  wouldExceed(addedBytes: number, measure: () => number): boolean {
    if (this.base + this.since + addedBytes <= this.max) return false;
    this.measured(measure());
    return this.base + addedBytes > this.max;
  }
}
