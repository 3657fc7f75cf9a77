// A counting semaphore whose waiters give up after a bounded time: the building
// block for "at most N of these at once, in this process" without ever hanging.

export type Release = () => void;

export class Slots {
  private used = 0;
  private readonly waiters: { grant: (release: Release) => void }[] = [];

  constructor(readonly capacity: number) {}

  get inUse(): number {
    return this.used;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** A slot now if one is free, else null. */
  tryAcquire(): Release | null {
    if (this.used >= this.capacity) return null;
    this.used++;
    return this.releaser();
  }

  /** A slot, waiting at most `waitMs` for one (first come, first served); null when none freed up in time. */
  acquire(waitMs: number): Promise<Release | null> {
    const now = this.waiters.length === 0 ? this.tryAcquire() : null;
    if (now || waitMs <= 0) return Promise.resolve(now);
    return new Promise((resolve) => {
      const waiter = {
        grant: (release: Release) => {
          clearTimeout(timer);
          resolve(release);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        resolve(null);
      }, waitMs);
      this.waiters.push(waiter);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter; otherwise it is freed.
      if (next) next.grant(this.releaser());
      else this.used--;
    };
  }
}
