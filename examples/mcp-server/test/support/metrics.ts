/** Scrapes `/metrics` and returns a reader of one sample: 0 when the series is absent. */
export async function scrape(opsUrl: URL): Promise<(name: string, labels: Record<string, string>) => number> {
  const response = await fetch(new URL("/metrics", opsUrl));
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  const text = await response.text();
  return (name, labels) => {
    const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
    for (const line of text.split("\n")) {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (match === null || match[1] !== name) continue;
      const present = (match[2] ?? "").split(",");
      if (wanted.every((pair) => present.includes(pair))) return Number(match[3]);
    }
    return 0;
  };
}
