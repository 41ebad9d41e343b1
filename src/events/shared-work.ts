/**
 * Work that many subscribers of one event need done alike, done once: whether the event's articles
 * are public, and the payload of each distinct operation, variables and visibility. The event feed
 * forgets it all as soon as newer events arrive (one of them may be what hides an article again),
 * so a result is never older than the event that asked for it.
 */
export class SharedWork {
  private readonly results = new Map<string, Promise<unknown>>();

  constructor(private readonly max = 10_000) {}

  once<T>(key: string, work: () => Promise<T>): Promise<T> {
    const found = this.results.get(key) as Promise<T> | undefined;
    if (found) return found;
    const result = work();
    if (this.results.size >= this.max) this.results.delete(this.results.keys().next().value as string);
    this.results.set(key, result);
    // A failure is not handed to whoever asks next: they try again.
    result.catch(() => this.results.delete(key));
    return result;
  }

  forget(): void {
    this.results.clear();
  }
}
