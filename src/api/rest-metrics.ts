/** What the REST API asks of the daemon's metrics (README "Metrics"); absent in tests. */
export interface RestMetrics {
  /** One answered request; `route` is bounded (routeLabel), never the raw path. */
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  /** The series patroni-ts adds, appended to Patroni's text in `GET /metrics`. */
  render(): Promise<string>;
}
