/** What {@link redisCpuUs} needs of a client: `INFO <section>` as text (ioredis and node-redis both have it). */
export interface InfoClient {
  info(section: string): Promise<string>;
}

/**
 * The redis-server's CPU time so far, in µs: `INFO cpu`'s user and system time, every thread of
 * the process (its network work included). Benchmarks read it before and after a loop: on a
 * 2-core machine the server shares the cores with the client, and what it spends per call bounds
 * the throughput as much as what the client spends. `NaN` if the server does not report it.
 */
export async function redisCpuUs(client: InfoClient): Promise<number> {
  const info = await client.info("cpu");
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1] ?? Number.NaN);
  return (field("used_cpu_user") + field("used_cpu_sys")) * 1e6;
}
