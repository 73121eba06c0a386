// In-process bus: capabilities hear about each other's facts without touching each other's tables.
// Past one machine the same topics would ride NATS JetStream (DESIGN.md); here one process suffices.

export type Handler<T> = (payload: T) => void | Promise<void>;

export class Bus<Topics extends Record<string, unknown>> {
  private handlers = new Map<keyof Topics, Handler<never>[]>();

  on<K extends keyof Topics>(topic: K, handler: Handler<Topics[K]>): () => void {
    const list = this.handlers.get(topic) ?? [];
    list.push(handler as Handler<never>);
    this.handlers.set(topic, list);
    return () => {
      const l = this.handlers.get(topic);
      if (l)
        this.handlers.set(
          topic,
          l.filter((h) => h !== handler),
        );
    };
  }

  /** Calls the handlers in order and waits for them, so a publisher knows its fact was taken in. */
  async emit<K extends keyof Topics>(topic: K, payload: Topics[K]): Promise<void> {
    for (const h of this.handlers.get(topic) ?? []) await (h as Handler<Topics[K]>)(payload);
  }
}
